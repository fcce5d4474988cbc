package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/omshq/oms"
)

func apikey(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return fmt.Errorf("usage: oms apikey create --role ROLE --name NAME [--db …]")
	}
	fs, dsn := newFlags("apikey create", stderr)
	role := fs.String("role", "", "admin, manager, agent, warehouse or channel")
	name := fs.String("name", "", "who or what the key is for")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	db, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	_, secret, err := db.CreateAPIKey(ctx, *name, oms.Role(*role), "cli")
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, secret)
	return nil
}
