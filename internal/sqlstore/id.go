package sqlstore

import (
	"crypto/rand"
	"encoding/binary"
	"time"
)

// idAlphabet is Crockford's base32 in lower case. Its letters are in ASCII
// order, so ids compare as text in the order they were made.
const idAlphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// newID returns a 16-character id: 48 bits of Unix milliseconds, then 32
// random bits, base32. Time order keeps inserts at the right edge of the
// primary-key index; the random part makes ids unpredictable enough that
// they do not count records, though authorisation, not secrecy, guards them.
func newID() string {
	var b [10]byte
	binary.BigEndian.PutUint64(b[:8], uint64(time.Now().UnixMilli())<<16)
	rand.Read(b[6:]) // never fails (crypto/rand since Go 1.24)
	hi := uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
	lo := uint64(b[5])<<32 | uint64(b[6])<<24 | uint64(b[7])<<16 | uint64(b[8])<<8 | uint64(b[9])
	var out [16]byte
	for i := 7; i >= 0; i-- {
		out[i] = idAlphabet[hi&31]
		out[i+8] = idAlphabet[lo&31]
		hi >>= 5
		lo >>= 5
	}
	return string(out[:])
}
