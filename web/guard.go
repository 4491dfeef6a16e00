package web

import (
	"context"

	"github.com/lifeboat-itscm/lifeboat"
)

// ownedServices enforces the service-owner rule on every change to a
// service, whether it comes from the API or a page: routes only say that a
// role may edit services at all, this says which ones.
type ownedServices struct {
	lifeboat.ServiceStore
	s *Server
}

// CreateService reports invalid input before ownership, so that a service
// owner first learns what is wrong with the form.
func (o ownedServices) CreateService(ctx context.Context, svc *lifeboat.Service) error {
	svc.Normalize()
	if err := svc.Validate(); err != nil {
		return err
	}
	if err := o.s.mayEditService(ctx, svc.Owner); err != nil {
		return err
	}
	return o.ServiceStore.CreateService(ctx, svc)
}

func (o ownedServices) UpdateService(ctx context.Context, svc *lifeboat.Service, ifVersion int64) error {
	if cur, err := o.ServiceStore.FindServiceByID(ctx, svc.ID); err == nil {
		if err := o.s.mayEditService(ctx, cur.Owner, svc.Owner); err != nil {
			return err
		}
	}
	return o.ServiceStore.UpdateService(ctx, svc, ifVersion)
}

func (o ownedServices) DeleteService(ctx context.Context, id string, ifVersion int64) error {
	if cur, err := o.ServiceStore.FindServiceByID(ctx, id); err == nil {
		if err := o.s.mayEditService(ctx, cur.Owner); err != nil {
			return err
		}
	}
	return o.ServiceStore.DeleteService(ctx, id, ifVersion)
}

// ownedBIAs applies the same rule to a service's BIA: only those who may
// change the service may write, delete or submit its BIA. Approving and
// returning it to draft need PermApproveBIA, which routes check.
type ownedBIAs struct {
	lifeboat.BIAStore
	s *Server
}

// mayEditBIA refuses when the actor may not change the service; a service
// that does not exist is left for the store to report.
func (o ownedBIAs) mayEditBIA(ctx context.Context, serviceID string) error {
	svc, err := o.s.Services.FindServiceByID(ctx, serviceID)
	if lifeboat.ErrorCode(err) == lifeboat.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	return o.s.mayEditService(ctx, svc.Owner)
}

func (o ownedBIAs) SaveBIA(ctx context.Context, b *lifeboat.BIA, ifVersion int64) error {
	if err := o.mayEditBIA(ctx, b.Service); err != nil {
		return err
	}
	return o.BIAStore.SaveBIA(ctx, b, ifVersion)
}

func (o ownedBIAs) DeleteBIA(ctx context.Context, serviceID string, ifVersion int64) error {
	if err := o.mayEditBIA(ctx, serviceID); err != nil {
		return err
	}
	return o.BIAStore.DeleteBIA(ctx, serviceID, ifVersion)
}

func (o ownedBIAs) SubmitBIA(ctx context.Context, serviceID string, ifVersion int64) (*lifeboat.BIA, error) {
	if err := o.mayEditBIA(ctx, serviceID); err != nil {
		return nil, err
	}
	return o.BIAStore.SubmitBIA(ctx, serviceID, ifVersion)
}

// mayEditService refuses with EFORBID when the actor may not change a
// service owned by these teams (before and after the change).
func (s *Server) mayEditService(ctx context.Context, owners ...string) error {
	a := lifeboat.ActorFrom(ctx)
	if a.Role.Can(lifeboat.PermEditCatalog) {
		return nil
	}
	var teams []string
	if u, err := s.Users.FindUserByID(ctx, a.UserID); err == nil && u.PersonID != "" {
		ts, err := s.Teams.FindTeamsOfPerson(ctx, u.PersonID)
		if err != nil {
			return err
		}
		for _, t := range ts {
			teams = append(teams, t.ID)
		}
	}
	if a.CanEditService(teams, owners...) {
		return nil
	}
	return lifeboat.Errorf(lifeboat.EFORBID, "As a service owner you may change only services owned by your teams, and may not give them to another team.")
}
