package openapi

import (
	"strings"

	"gatehouse/rules"
)

// The read-only catalogue: DescribeRegions (API Gateway) and DescribeZones
// (VPC).

type region struct {
	RegionId       string `json:"RegionId" xml:"RegionId"`
	LocalName      string `json:"LocalName" xml:"LocalName"`
	RegionEndpoint string `json:"RegionEndpoint" xml:"RegionEndpoint"`
}

type describeRegionsResponse struct {
	requestID
	Regions struct {
		Region []region `json:"Region" xml:"Region"`
	} `json:"Regions" xml:"Regions"`
}

// describeRegions lists the region catalogue. Every region is served by
// this one endpoint, so RegionEndpoint is the host the request came to.
// Language is accepted; names are in English.
func describeRegions(c *call) (response, error) {
	res := &describeRegionsResponse{}
	all := rules.Regions()
	res.Regions.Region = make([]region, len(all))
	for i, r := range all {
		res.Regions.Region[i] = region{RegionId: r.ID, LocalName: r.Name, RegionEndpoint: c.host}
	}
	return res, nil
}

type zone struct {
	ZoneId    string `json:"ZoneId" xml:"ZoneId"`
	LocalName string `json:"LocalName" xml:"LocalName"`
	ZoneType  string `json:"ZoneType" xml:"ZoneType"`
}

type describeZonesResponse struct {
	requestID
	Zones struct {
		Zone []zone `json:"Zone" xml:"Zone"`
	} `json:"Zones" xml:"Zones"`
}

// describeZones lists the zones of RegionId (required).
func describeZones(c *call) (response, error) {
	id, err := c.region(true)
	if err != nil {
		return nil, err
	}
	r, _ := rules.RegionByID(id) // c.region checked it
	res := &describeZonesResponse{}
	res.Zones.Zone = make([]zone, len(r.Zones))
	for i, z := range r.Zones {
		res.Zones.Zone[i] = zone{ZoneId: z, LocalName: zoneLocalName(z), ZoneType: "AvailabilityZone"}
	}
	return res, nil
}

// zoneLocalName names a zone as the console does: "China (Hangzhou) Zone G".
func zoneLocalName(zoneID string) string {
	r, ok := rules.RegionOfZone(zoneID)
	if !ok {
		return zoneID
	}
	letter := strings.TrimPrefix(strings.TrimPrefix(zoneID, r.ID), "-")
	return r.Name + " Zone " + strings.ToUpper(letter)
}
