// A checksum database for tests, made of golang.org/x/mod/sumdb's own test server: it signs, with a key it
// generates, the go.sum lines listed in a file, adding a record to its log the first time a version is looked up
// (so the tree grows as tests go), and serves /lookup/, /tile/ and /latest under /sumdb/<name>/ as
// proxy.golang.org does, beside /sumdb/<name>/supported. GET /requests answers how many database requests it
// received. It prints "<address> <verifier key>" once it listens on 127.0.0.1.
package main

import (
	"bufio"
	"crypto/rand"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	name, sumsFile := os.Args[1], os.Args[2]
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	records := map[string][]string{}
	read := func() {
		f, err := os.Open(sumsFile)
		if err != nil {
			panic(err)
		}
		defer f.Close()
		fresh := map[string][]string{}
		scanner := bufio.NewScanner(f)
		for scanner.Scan() {
			fields := strings.Fields(scanner.Text())
			if len(fields) != 3 {
				continue
			}
			key := fields[0] + "@" + strings.TrimSuffix(fields[1], "/go.mod")
			fresh[key] = append(fresh[key], scanner.Text())
		}
		mu.Lock()
		records = fresh
		mu.Unlock()
	}
	read()
	server := sumdb.NewServer(sumdb.NewTestServer(skey, func(path, vers string) ([]byte, error) {
		read()
		mu.Lock()
		defer mu.Unlock()
		lines, ok := records[path+"@"+vers]
		if !ok {
			return nil, os.ErrNotExist
		}
		var zip, mod string
		for _, line := range lines {
			if strings.Contains(line, "/go.mod ") {
				mod = line + "\n"
			} else {
				zip = line + "\n"
			}
		}
		return []byte(zip + mod), nil
	}))
	prefix := "/sumdb/" + name
	var requests atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/requests", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, requests.Load())
	})
	mux.HandleFunc(prefix+"/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path == prefix+"/supported" {
			w.WriteHeader(http.StatusOK)
			return
		}
		r.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
		r.URL.RawPath = ""
		server.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	fmt.Println(ln.Addr().String(), vkey)
	panic(http.Serve(ln, mux))
}
