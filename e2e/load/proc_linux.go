package main

import "syscall"

// childAttrs makes a server die with the load run, whatever ends it.
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
