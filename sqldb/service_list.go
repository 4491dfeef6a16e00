package sqldb

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// sortKeys maps each catalog order to its SQL key. Each is followed by id
// to make the order total, which keyset paging needs; each has an index.
var sortKeys = map[lifeboat.ServiceSort]string{
	lifeboat.SortByID:   "",
	lifeboat.SortByName: "lower(s.name)",
	lifeboat.SortByTier: "coalesce(s.tier, 100)",
	lifeboat.SortByKind: "s.kind",
}

// cursor is the position after the last row of a page: the sort key and id.
type cursor struct {
	Key any    `json:"k,omitempty"`
	ID  string `json:"i"`
}

func encodeCursor(c cursor) string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string, sort lifeboat.ServiceSort) (cursor, error) {
	var c cursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		d := json.NewDecoder(strings.NewReader(string(b)))
		d.UseNumber()
		err = d.Decode(&c)
	}
	if err == nil {
		switch k := c.Key.(type) {
		case json.Number:
			var n int64
			n, err = k.Int64()
			c.Key = n
		case string:
		case nil:
			if sort != lifeboat.SortByID {
				err = fmt.Errorf("missing key")
			}
		default:
			err = fmt.Errorf("bad key")
		}
	}
	if err != nil || c.ID == "" {
		return c, &lifeboat.Error{Code: lifeboat.EINVALID, Message: "the page cursor is not valid",
			Fields: []lifeboat.FieldError{{Field: "cursor", Message: "not a cursor from this listing; start again from the first page"}}}
	}
	return c, nil
}

// FindServices returns one catalog page. Filters become WHERE clauses on
// indexed columns; paging continues after the cursor's (key, id).
func (db *DB) FindServices(ctx context.Context, f lifeboat.ServiceFilter) (*lifeboat.ServicePage, error) {
	if f.Sort == "" {
		f.Sort = lifeboat.SortByName
	}
	key, ok := sortKeys[f.Sort]
	if !ok {
		return nil, &lifeboat.Error{Code: lifeboat.EINVALID, Message: "unknown sort order",
			Fields: []lifeboat.FieldError{{Field: "sort", Message: fmt.Sprintf("%q is not a sort order", f.Sort)}}}
	}
	if f.Limit <= 0 {
		f.Limit = lifeboat.DefaultPageSize
	}
	f.Limit = min(f.Limit, lifeboat.MaxPageSize)

	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + itoa(len(args))
	}
	if f.Query != "" {
		like := arg("%" + escapeLike(strings.ToLower(f.Query)) + "%")
		where = append(where, fmt.Sprintf(`(lower(s.id) LIKE %[1]s ESCAPE '\' OR lower(s.name) LIKE %[1]s ESCAPE '\' OR lower(s.description) LIKE %[1]s ESCAPE '\')`, like))
	}
	if f.Kind != "" {
		where = append(where, "s.kind = "+arg(string(f.Kind)))
	}
	if f.Tier != nil {
		where = append(where, "s.tier = "+arg(*f.Tier))
	}
	if f.Owner != "" {
		where = append(where, "s.owner = "+arg(f.Owner))
	}
	if f.Lifecycle != "" {
		where = append(where, "s.lifecycle = "+arg(string(f.Lifecycle)))
	}
	if f.Tag != "" {
		where = append(where, "EXISTS (SELECT 1 FROM service_tags t WHERE t.service_id = s.id AND t.tag = "+arg(f.Tag)+")")
	}
	order := "s.id"
	if key != "" {
		order = key + ", s.id"
	}
	if f.After != "" {
		c, err := decodeCursor(f.After, f.Sort)
		if err != nil {
			return nil, err
		}
		if key == "" {
			where = append(where, "s.id > "+arg(c.ID))
		} else {
			// Written out rather than as (key, id) > (k, i), which SQLite
			// cannot turn into an index range.
			k := arg(c.Key)
			where = append(where, fmt.Sprintf("%[1]s >= %[2]s AND (%[1]s > %[2]s OR s.id > %[3]s)", key, k, arg(c.ID)))
		}
	}
	q := `SELECT ` + prefixColumns("s.", serviceColumns)
	if key != "" {
		q += ", " + key
	}
	q += " FROM services s"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY " + order + " LIMIT " + arg(f.Limit+1)

	rows, err := db.query(ctx, q, args...)
	if err != nil {
		return nil, db.mapError(err)
	}
	defer rows.Close()
	page := &lifeboat.ServicePage{}
	var lastKey any
	for rows.Next() {
		if len(page.Services) == f.Limit {
			last := page.Services[len(page.Services)-1]
			page.Next = encodeCursor(cursor{Key: lastKey, ID: last.ID})
			break
		}
		s, k, err := scanServiceWithKey(rows, key != "")
		if err != nil {
			return nil, db.mapError(err)
		}
		page.Services = append(page.Services, s)
		lastKey = k
	}
	if err := rows.Err(); err != nil {
		return nil, db.mapError(err)
	}
	return page, nil
}

func scanServiceWithKey(rows *sql.Rows, withKey bool) (*lifeboat.Service, any, error) {
	if !withKey {
		s, err := scanService(rows)
		return s, nil, err
	}
	var key any
	s, err := scanService(keyScanner{rows, &key})
	if b, ok := key.([]byte); ok {
		key = string(b)
	}
	return s, key, err
}

// keyScanner appends one destination, the sort key, to a service scan.
type keyScanner struct {
	rows *sql.Rows
	key  *any
}

func (k keyScanner) Scan(dest ...any) error { return k.rows.Scan(append(dest, k.key)...) }

func prefixColumns(prefix, cols string) string {
	parts := strings.Split(cols, ",")
	for i, p := range parts {
		parts[i] = prefix + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}
