package rules

import (
	"strings"
	"unicode/utf8"
)

// Accounts, users and roles.

// Lengths of account names, logins and passwords.
const (
	AccountNameMin = 3
	AccountNameMax = 64
	LoginMin       = 3
	LoginMax       = 64
	PasswordMin    = 12
	PasswordMax    = 128
)

// CheckAccountName validates an account's name: 3–64 characters, a letter
// first, then letters, digits, hyphens, underscores and periods.
func CheckAccountName(name string) error { return asError(checkAccountName(name)) }

func checkAccountName(name string) *Error {
	const code = CodeInvalidAccountName
	n := utf8.RuneCountInString(name)
	switch {
	case name == "":
		return invalid(FieldAccount, code, "Enter an account name.")
	case !utf8.ValidString(name):
		return invalid(FieldAccount, code, "The account name is not valid UTF-8 text.")
	case n < AccountNameMin || n > AccountNameMax:
		return invalid(FieldAccount, code, "An account name is %d to %d characters long; this one has %d.", AccountNameMin, AccountNameMax, n)
	}
	if errs := checkResourceName(code, "account", name); len(errs) > 0 {
		err := errs[0]
		err.Field = FieldAccount
		return err
	}
	return nil
}

// ParseRole reads a role in any case.
func ParseRole(s string) (Role, bool) {
	switch r := Role(strings.ToLower(strings.TrimSpace(s))); r {
	case RoleAdmin, RoleOperator, RoleViewer:
		return r, true
	}
	return "", false
}

// CanChange reports whether the role may change resources.
func (r Role) CanChange() bool { return r == RoleAdmin || r == RoleOperator }

// CanAdminister reports whether the role may manage users and access keys.
func (r Role) CanAdminister() bool { return r == RoleAdmin }

// UserInput is what creating a user asks for.
type UserInput struct {
	Login    string
	Password string
	Role     Role
}

// Validate checks the login (3–64 ASCII letters, digits, '.', '_', '-' and
// '@', a letter first), the password (12–128 characters, not the login)
// and the role.
func (in UserInput) Validate() []*Error {
	var errs []*Error
	errs = appendIf(errs, checkLogin(in.Login))
	errs = appendIf(errs, checkPassword(in.Password, in.Login))
	return append(errs, in.Role.Validate()...)
}

// Validate checks a role on its own: admin, operator or viewer, exactly.
func (r Role) Validate() []*Error {
	switch r {
	case RoleAdmin, RoleOperator, RoleViewer:
		return nil
	}
	return []*Error{invalid(FieldRole, CodeInvalidRole, "Choose a role: admin, operator or viewer.")}
}

// CheckRoleChange decides whether the user u may take the role to: an
// account keeps at least one admin, so its last admin (admins is how many
// admins the account has) cannot be demoted.
func CheckRoleChange(u User, to Role, admins int) error {
	if u.Role == RoleAdmin && to != RoleAdmin && admins <= 1 {
		return conflict(FieldRole, CodeLastAdmin, "The user %q is the account's last admin; make another user admin first.", u.Login)
	}
	return nil
}

// CheckRemoveUser decides whether the user u may be removed from its
// account: an account keeps at least one admin, so its last admin (admins
// is how many admins the account has) cannot be removed.
func CheckRemoveUser(u User, admins int) error {
	if u.Role == RoleAdmin && admins <= 1 {
		return conflict(FieldLogin, CodeLastAdmin, "The user %q is the account's last admin and cannot be removed; make another user admin first.", u.Login)
	}
	return nil
}

// PasswordChange is a user changing their own password: the current one
// proves it is them, the new one replaces it.
type PasswordChange struct {
	Login   string
	Current string
	New     string
	Repeat  string // the new one typed again, when the form asks for it
	Repeats bool   // whether Repeat was asked for
}

// Validate checks that the current password is given and that the new one
// is a valid password (CheckPassword) other than the current one, typed
// the same twice when asked twice. Whether the current password is right is
// the store's to say (it holds the hash): WrongPassword words it.
func (in PasswordChange) Validate() []*Error {
	var errs []*Error
	if in.Current == "" {
		errs = append(errs, invalid(FieldCurrentPassword, CodeInvalidPassword, "Enter your current password."))
	}
	switch err := checkPassword(in.New, in.Login); {
	case err != nil:
		errs = append(errs, err)
	case in.Current != "" && in.New == in.Current:
		errs = append(errs, invalid(FieldPassword, CodeInvalidPassword, "The new password is the current one; choose another."))
	case in.Repeats && in.Repeat != in.New:
		errs = append(errs, invalid(FieldPasswordRepeat, CodeInvalidPassword, "The two new passwords differ; type the same one twice."))
	}
	return errs
}

// WrongPassword is the refusal of a password change whose current password
// is wrong.
func WrongPassword() *Error {
	return invalid(FieldCurrentPassword, CodeWrongPassword, "The current password is wrong.")
}

// NewPassword is a random password of 20 letters and digits (about 119
// bits), for an admin's reset that does not choose one and for the demo
// admin: shown once, never stored in the clear.
func NewPassword() string { return randomString(mixedAlnum, 20) }

// CheckLogin validates a login name, as UserInput.Validate does.
func CheckLogin(login string) error { return asError(checkLogin(login)) }

func checkLogin(login string) *Error {
	const code = CodeInvalidLogin
	switch {
	case login == "":
		return invalid(FieldLogin, code, "Enter a login name.")
	case len(login) < LoginMin || len(login) > LoginMax:
		return invalid(FieldLogin, code, "A login name is %d to %d characters long.", LoginMin, LoginMax)
	case !onlyFrom(login[:1], mixedAlnum[10:]):
		return invalid(FieldLogin, code, "A login name starts with a letter.")
	case !onlyFrom(login, mixedAlnum+"._-@"):
		return invalid(FieldLogin, code, "A login name holds only letters, digits, periods (.), underscores (_), hyphens (-) and at signs (@).")
	}
	return nil
}

// CheckPassword validates a new password: 12 to 128 characters, and not
// the login name.
func CheckPassword(password, login string) error { return asError(checkPassword(password, login)) }

func checkPassword(password, login string) *Error {
	const code = CodeInvalidPassword
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return invalid(FieldPassword, code, "Enter a password.")
	case n < PasswordMin:
		return invalid(FieldPassword, code, "A password is at least %d characters long.", PasswordMin)
	case n > PasswordMax:
		return invalid(FieldPassword, code, "A password is at most %d characters long.", PasswordMax)
	case login != "" && strings.EqualFold(password, login):
		return invalid(FieldPassword, code, "A password is not the login name.")
	}
	return nil
}

// DuplicateLogin is the refusal for a login name already in use: the store
// finds it, this words it.
func DuplicateLogin(login string) *Error {
	return conflict(FieldLogin, CodeDuplicateLogin, "The login name %q is already taken. Choose another one.", login)
}
