package store

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// The master key.
//
// Access key secrets must be recoverable (the OpenAPI endpoint recomputes
// each request's HMAC with them), so they cannot be hashed like passwords.
// They are sealed with AES-256-GCM under a 32-byte master key kept in a file
// beside the database, <db>.key, created with mode 0600 on first use.
//
// Trade-off: a leaked database alone reveals no secret (nor private keys of
// custom-domain certificates, sealed the same way); the database together
// with the key file reveals all of them. Back both up together — a
// database restored without its key file keeps its groups but every access
// key must be recreated and every session cookie becomes invalid.
const masterKeySize = 32

// KeyPath is the master key file's path.
func (s *Store) KeyPath() string { return s.path + ".key" }

// masterKey loads the key file, creating it on first use (SecretFile).
func (s *Store) masterKey() ([]byte, error) {
	s.keyMu.Lock()
	defer s.keyMu.Unlock()
	if s.key != nil {
		return s.key, nil
	}
	key, err := s.SecretFile(".key", func() ([]byte, error) {
		key := make([]byte, masterKeySize)
		_, err := rand.Read(key)
		return key, err
	})
	if err != nil {
		return nil, fmt.Errorf("master key: %w", err)
	}
	if len(key) != masterKeySize {
		return nil, fmt.Errorf("master key: %s holds %d bytes, want %d", s.KeyPath(), len(key), masterKeySize)
	}
	s.key = key
	return key, nil
}

// SecretFile returns the content of the file beside the database named
// by suffix (<db><suffix>), making it with create on first use: mode 0600,
// written whole before it appears under its name (a temporary file
// hard-linked into place), so two processes starting together agree on
// one content, the first one's. The master key file (".key") and the
// gateway's certificate authority are such files.
func (s *Store) SecretFile(suffix string, create func() ([]byte, error)) ([]byte, error) {
	path := s.path + suffix
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if data, err = create(); err == nil {
			data, err = createSecretFile(path, data)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return data, nil
}

func createSecretFile(path string, data []byte) ([]byte, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return nil, err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return os.ReadFile(path) // another process won the race: use its content
	} else if err != nil {
		return nil, err
	}
	if dir, err := os.Open(filepath.Dir(path)); err == nil {
		dir.Sync() //nolint:errcheck // best effort: make the new name durable
		dir.Close()
	}
	return data, nil
}

// subKey derives an independent key for one purpose from the master key.
func (s *Store) subKey(purpose string, size int) ([]byte, error) {
	master, err := s.masterKey()
	if err != nil {
		return nil, err
	}
	return hkdf.Key(sha256.New, master, nil, "gatehouse/"+purpose, size)
}

// seal encrypts plaintext with AES-256-GCM; aad binds the ciphertext to its
// row (an access key id, a domain name), so a sealed value copied onto
// another row does not open. Output: nonce || ciphertext.
func (s *Store) seal(plaintext []byte, aad string) ([]byte, error) {
	aead, err := s.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	return aead.Seal(nonce, nonce, plaintext, []byte(aad)), nil
}

// unseal reverses seal.
func (s *Store) unseal(sealed []byte, aad string) ([]byte, error) {
	aead, err := s.aead()
	if err != nil {
		return nil, err
	}
	if len(sealed) < aead.NonceSize() {
		return nil, errors.New("unseal: value too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], []byte(aad))
	if err != nil {
		return nil, fmt.Errorf("unseal: %w (was the key file %s replaced?)", err, s.KeyPath())
	}
	return plain, nil
}

func (s *Store) aead() (cipher.AEAD, error) {
	key, err := s.subKey("seal", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

// SecretKey returns a key of size bytes for the named purpose (for
// example "session-auth", "session-enc" for cookie keys). It is derived with
// HKDF-SHA256 from the master key file, so it is random, created once
// (with the key file) and the same on every start and in every process
// sharing the database; nothing is stored in the database. To rotate a
// purpose's key, ask for a new name ("session-auth-2").
func (s *Store) SecretKey(ctx context.Context, name string, size int) ([]byte, error) {
	if name == "" || size <= 0 || size > 255*sha256.Size {
		return nil, fmt.Errorf("store: secret key %q: bad name or size %d", name, size)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	key, err := s.subKey("secret/"+name, size)
	if err != nil {
		return nil, fmt.Errorf("store: secret key %q: %w", name, err)
	}
	return key, nil
}
