package customer

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// NormalizeTaxID checks a tax id against the format for the customer type
// (a US SSN for residential customers, an EIN for the others) and returns its
// nine digits. The message of the error is safe to show: it never repeats the
// number.
func NormalizeTaxID(s string, t Type) (string, error) {
	digits := strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if len(digits) != 9 || strings.Trim(digits, "0123456789") != "" {
		if t == TypeResidential {
			return "", errors.New("must be an SSN (123-45-6789)")
		}
		return "", errors.New("must be an EIN (12-3456789)")
	}
	if t == TypeResidential {
		area, group, serial := digits[:3], digits[3:5], digits[5:]
		if area == "000" || area == "666" || area[0] == '9' || group == "00" || serial == "0000" {
			return "", errors.New("must be a valid SSN")
		}
		return digits, nil
	}
	if invalidEINPrefixes[digits[:2]] {
		return "", errors.New("must be a valid EIN (unassigned prefix)")
	}
	return digits, nil
}

// invalidEINPrefixes are the EIN prefixes the IRS has never assigned.
var invalidEINPrefixes = map[string]bool{
	"00": true, "07": true, "08": true, "09": true, "17": true, "18": true, "19": true,
	"28": true, "29": true, "49": true, "69": true, "70": true, "78": true, "79": true, "89": true,
	"96": true, "97": true,
}

// taxIDFormat is the first byte of a sealed tax id, so the scheme (or key)
// can change later without guessing at old rows.
const taxIDFormat = 1

// TaxIDCipher encrypts tax ids with AES-256-GCM and computes their blind
// index with HMAC-SHA-256, each under its own key derived from one 32-byte
// master key with HKDF.
type TaxIDCipher struct {
	aead     cipher.AEAD
	indexKey []byte
}

// NewTaxIDCipher returns a cipher for the 32-byte master key.
func NewTaxIDCipher(key []byte) (*TaxIDCipher, error) {
	if len(key) != 32 {
		return nil, fmt.Errorf("tax id key must be 32 bytes, got %d", len(key))
	}
	encKey, err := hkdf.Key(sha256.New, key, nil, "crm tax id encryption", 32)
	if err != nil {
		return nil, err
	}
	indexKey, err := hkdf.Key(sha256.New, key, nil, "crm tax id blind index", 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(encKey)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &TaxIDCipher{aead: aead, indexKey: indexKey}, nil
}

// Seal encrypts normalised tax id digits.
func (c *TaxIDCipher) Seal(digits string) (*TaxID, error) {
	nonce := make([]byte, c.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte{taxIDFormat}, nonce...)
	out = c.aead.Seal(out, nonce, []byte(digits), []byte("tax_id"))
	return &TaxID{Ciphertext: out, BlindIndex: c.BlindIndex(digits)}, nil
}

// Open decrypts a sealed tax id. Only code that must show or transmit the
// full number (none in this module) should call it.
func (c *TaxIDCipher) Open(t *TaxID) (string, error) {
	n := c.aead.NonceSize()
	if t == nil || len(t.Ciphertext) < 1+n || t.Ciphertext[0] != taxIDFormat {
		return "", errors.New("tax id: unknown format")
	}
	plain, err := c.aead.Open(nil, t.Ciphertext[1:1+n], t.Ciphertext[1+n:], []byte("tax_id"))
	if err != nil {
		return "", errors.New("tax id: cannot decrypt (wrong key?)")
	}
	return string(plain), nil
}

// BlindIndex returns the keyed hash that finds equal tax ids without
// decrypting them.
func (c *TaxIDCipher) BlindIndex(digits string) string {
	m := hmac.New(sha256.New, c.indexKey)
	m.Write([]byte(digits))
	return hex.EncodeToString(m.Sum(nil))
}
