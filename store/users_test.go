package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// userFixture is an account with an admin (ada), an operator (sam) with an
// access key, and an open session for each; and another account.
type userFixture struct {
	s          *Store
	admin      Actor
	other      Actor
	ada, sam   Session
	samKey     string
	acctID     string
	samAsActor Actor
}

const userPW = "a-long-password-1"

func newUserFixture(t *testing.T) userFixture {
	t.Helper()
	ctx := context.Background()
	s := newStore(t)
	f := userFixture{s: s}
	open := func(login string, role rules.Role) Session {
		t.Helper()
		u, err := s.AddUser(ctx, "acme", login, role, userPW)
		if err != nil {
			t.Fatal(err)
		}
		sess, err := s.CreateSession(ctx, u, time.Now(), time.Hour, 30*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		return sess
	}
	f.ada, f.sam = open("ada", rules.RoleAdmin), open("sam", rules.RoleOperator)
	f.acctID = f.ada.User.AccountID
	f.admin = Actor{AccountID: f.acctID, Name: "ada", Source: rules.SourceConsole}
	f.samAsActor = Actor{AccountID: f.acctID, Name: "sam", Source: rules.SourceConsole}
	k, _, err := s.CreateAccessKey(ctx, f.admin, "sam")
	if err != nil {
		t.Fatal(err)
	}
	f.samKey = k.ID
	f.other = newAccount(t, s, "rival")
	return f
}

func (f userFixture) live(t *testing.T, sess Session) bool {
	t.Helper()
	_, err := f.s.SessionByID(context.Background(), sess.ID, time.Now())
	if err != nil && !errors.Is(err, ErrSessionNotFound) {
		t.Fatal(err)
	}
	return err == nil
}

func TestResetUserPassword(t *testing.T) {
	ctx := context.Background()
	f := newUserFixture(t)
	s := f.s
	f.live(t, f.sam) // in memory from here on

	unchanged(t, s, rules.CodeInvalidPassword, func() error {
		_, _, err := s.ResetUserPassword(ctx, f.admin, "sam", "short")
		return err
	})
	_, _, err := s.ResetUserPassword(ctx, f.other, "sam", "")
	notFound(t, "another account's user", err)

	u, pw, err := s.ResetUserPassword(ctx, f.admin, "SAM", "")
	if err != nil || u.Login != "sam" || rules.CheckPassword(pw, "sam") != nil {
		t.Fatalf("reset with a random password: %+v %q %v", u, pw, err)
	}
	if _, err := s.Authenticate(ctx, "sam", userPW); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("the old password still works: %v", err)
	}
	if _, err := s.Authenticate(ctx, "sam", pw); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if f.live(t, f.sam) {
		t.Error("the user's session survived the reset")
	}
	if !f.live(t, f.ada) {
		t.Error("the admin's own session ended")
	}
	if op := lastOp(t, s, f.acctID); op.Action != "ResetUserPassword" || op.Target != "sam" || op.Actor != "ada" || op.Detail != "1 session ended" {
		t.Errorf("op log: %+v", op)
	}
	if strings.Contains(dump(t, s), pw) {
		t.Error("the password is stored in the clear")
	}

	if _, chosen, err := s.ResetUserPassword(ctx, f.admin, "sam", "chosen-by-the-admin"); err != nil || chosen != "chosen-by-the-admin" {
		t.Fatalf("reset to a chosen password: %q %v", chosen, err)
	}
	if _, err := s.Authenticate(ctx, "sam", "chosen-by-the-admin"); err != nil {
		t.Errorf("the chosen password: %v", err)
	}
}

func TestChangeOwnPassword(t *testing.T) {
	ctx := context.Background()
	f := newUserFixture(t)
	s := f.s
	u, err := s.Authenticate(ctx, "sam", userPW)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.CreateSession(ctx, u, time.Now(), time.Hour, 30*time.Minute) // another browser
	if err != nil {
		t.Fatal(err)
	}
	f.live(t, second)

	unchanged(t, s, rules.CodeWrongPassword, func() error {
		return s.ChangeOwnPassword(ctx, f.samAsActor, rules.PasswordChange{Current: "not-my-password", New: "a-new-long-password"}, f.sam.ID)
	})
	unchanged(t, s, rules.CodeInvalidPassword, func() error {
		return s.ChangeOwnPassword(ctx, f.samAsActor, rules.PasswordChange{Current: userPW, New: userPW}, f.sam.ID)
	})
	if err := s.ChangeOwnPassword(ctx, f.samAsActor, rules.PasswordChange{Current: userPW, New: "a-new-long-password"}, f.sam.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "sam", "a-new-long-password"); err != nil {
		t.Errorf("the new password: %v", err)
	}
	if !f.live(t, f.sam) {
		t.Error("the session that changed the password ended")
	}
	if f.live(t, second) {
		t.Error("the user's other session survived the change")
	}
	if op := lastOp(t, s, f.acctID); op.Action != "ChangePassword" || op.Target != "sam" || op.Actor != "sam" || op.Detail != "1 session ended" {
		t.Errorf("op log: %+v", op)
	}
}

func TestRemoveUser(t *testing.T) {
	ctx := context.Background()
	f := newUserFixture(t)
	s := f.s
	f.live(t, f.sam)

	unchanged(t, s, rules.CodeLastAdmin, func() error {
		_, err := s.RemoveUser(ctx, f.admin, "ada")
		return err
	})
	_, err := s.RemoveUser(ctx, f.other, "sam")
	notFound(t, "another account's user", err)

	if _, err := s.RemoveUser(ctx, f.admin, "sam"); err != nil {
		t.Fatal(err)
	}
	if f.live(t, f.sam) {
		t.Error("the removed user's session survived")
	}
	if _, err := s.Authenticate(ctx, "sam", userPW); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("the removed user logs in: %v", err)
	}
	if _, _, _, err := s.AccessKeyForSignature(ctx, f.samKey); !rules.HasCode(err, CodeAccessKeyNotFound) {
		t.Errorf("the removed user's access key: %v", err)
	}
	op := lastOp(t, s, f.acctID)
	if op.Action != "DeleteUser" || op.Target != "sam" || !strings.Contains(op.Detail, f.samKey) || !strings.Contains(op.Detail, "1 session ended") {
		t.Errorf("op log: %+v", op)
	}
	_, err = s.RemoveUser(ctx, f.admin, "sam")
	notFound(t, "removed twice", err)

	// With a second admin, the first may go (even by their own hand).
	if _, err := s.AddUser(ctx, "acme", "bea", rules.RoleAdmin, userPW); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveUser(ctx, f.admin, "ada"); err != nil {
		t.Fatalf("remove one of two admins: %v", err)
	}
	bea := Actor{AccountID: f.acctID, Name: "bea", Source: rules.SourceConsole}
	unchanged(t, s, rules.CodeLastAdmin, func() error {
		_, err := s.RemoveUser(ctx, bea, "bea")
		return err
	})
	unchanged(t, s, rules.CodeLastAdmin, func() error {
		_, err := s.SetUserRole(ctx, bea, "bea", rules.RoleViewer)
		return err
	})
}
