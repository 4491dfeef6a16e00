package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
)

// The BIA of a service on its own page, /services/{id}/bia: the derived
// objectives with their reasons, the RTO requested, committed and proven,
// the sign-off and its buttons, the charts and everything the BIA records.

type biaPageData struct {
	Service *lifeboat.Service
	BIA     *biaView // nil when the service has no BIA yet
	Notice  string   // why a step of the sign-off was refused
	// People and Approver fill the approval form: who may sign off, and
	// the person the signed-in user is.
	People   []*lifeboat.Person
	Approver string
	// MayEdit says the user may change this service's BIA.
	MayEdit bool
}

// biaPage shows a service's BIA, or how to start one.
func (s *Server) biaPage(w http.ResponseWriter, r *http.Request) {
	s.renderBIAPage(w, r, http.StatusOK, r.PathValue("id"), "")
}

func (s *Server) renderBIAPage(w http.ResponseWriter, r *http.Request, status int, id, notice string) {
	d, err := s.loadBIAPage(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d.Notice = notice
	s.render(w, r, status, "bia", page{Title: "BIA of " + d.Service.Name, Nav: "bia", Data: d})
}

func (s *Server) loadBIAPage(ctx context.Context, id string) (*biaPageData, error) {
	svc, err := s.Services.FindServiceByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &biaPageData{Service: svc, MayEdit: s.mayEditService(ctx, svc.Owner) == nil}
	if d.BIA, err = s.biaViewOf(ctx, svc); err != nil {
		return nil, err
	}
	if a := lifeboat.ActorFrom(ctx); d.BIA != nil && a.Role.Can(lifeboat.PermApproveBIA) && d.BIA.Review.Status == lifeboat.ReviewInReview {
		if d.People, err = s.People.FindPeople(ctx); err != nil {
			return nil, err
		}
		if u, err := s.Users.FindUserByID(ctx, a.UserID); err == nil {
			d.Approver = u.PersonID
		}
	}
	return d, nil
}

// The steps of the sign-off. Each form carries the version the user saw,
// so that an approval covers what the approver read.

func (s *Server) submitBIAPage(w http.ResponseWriter, r *http.Request) {
	s.biaStepPage(w, r, "Submitted the BIA for review.", func(ctx context.Context, id string, v int64) error {
		_, err := s.BIAs.SubmitBIA(ctx, id, v)
		return err
	})
}

func (s *Server) approveBIAPage(w http.ResponseWriter, r *http.Request) {
	s.biaStepPage(w, r, "Approved the BIA.", func(ctx context.Context, id string, v int64) error {
		by, err := s.approverOf(ctx, formValue(r, "approved_by"))
		if err != nil {
			return err
		}
		_, err = s.BIAs.ApproveBIA(ctx, id, by, s.Auth.Now(), v)
		return err
	})
}

func (s *Server) returnBIAPage(w http.ResponseWriter, r *http.Request) {
	s.biaStepPage(w, r, "Returned the BIA to draft.", func(ctx context.Context, id string, v int64) error {
		_, err := s.BIAs.ReturnBIAToDraft(ctx, id, v)
		return err
	})
}

// biaStepPage takes one step of the sign-off from a form and shows the BIA
// again: with the news after a redirect, or with why it was refused.
func (s *Server) biaStepPage(w http.ResponseWriter, r *http.Request, done string, step func(context.Context, string, int64) error) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	err := step(r.Context(), id, version)
	switch {
	case err == nil:
		redirect(w, r, "/services/"+id+"/bia", done)
	case lifeboat.ErrorCode(err) == lifeboat.ESTALE:
		s.renderBIAPage(w, r, http.StatusConflict, id, "The BIA was changed by someone else since you opened this page, so nothing was done. Check the current version below, then try again.")
	case isFormError(err):
		s.renderBIAPage(w, r, formStatus(err), id, biaStepMessage(err))
	default:
		s.pageError(w, r, err)
	}
}

// biaStepMessage is a refusal in one sentence, with the field problem if
// there is one.
func biaStepMessage(err error) string {
	msg := lifeboat.ErrorMessage(err)
	for _, f := range lifeboat.ErrorFields(err) {
		msg += " " + sentence(f.Message)
	}
	return msg
}

// sentence starts a message with a capital and ends it with a full stop.
func sentence(msg string) string {
	if msg == "" {
		return ""
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}
