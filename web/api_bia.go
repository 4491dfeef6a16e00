package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/lifeboat-itscm/lifeboat"
)

// The BIA of a service over the API: the BIA itself in the form of the
// model files, and beside it what Lifeboat derives from it.

// reviewStateJSON is a BIA's review state with the reason its approval lapsed.
type reviewStateJSON struct {
	lifeboat.ReviewState
	Reason string `json:"reason,omitempty" doc:"Why the approval has lapsed, in words: overdue, or what changed since; absent while it holds."`
}

func newReviewStateJSON(st lifeboat.ReviewState) reviewStateJSON {
	return reviewStateJSON{st, st.Reason()}
}

// serviceBIAJSON is a BIA as the API returns it.
type serviceBIAJSON struct {
	BIA     *lifeboat.BIA       `json:"bia" doc:"The BIA, as in a model file; send it back with PUT."`
	Review  reviewStateJSON     `json:"review" doc:"Where the BIA stands in its sign-off at the time of the request."`
	Derived lifeboat.Derivation `json:"derived" doc:"The service's MTPD, RTO, RPO and tier from its objectives and this BIA, each with its source and reason."`
}

type biaOutput = objectOutput[serviceBIAJSON]

func newBIAOutput(r *biaRecord) *biaOutput {
	return &biaOutput{ETag: etag(r.BIA.Version),
		Body: serviceBIAJSON{BIA: r.BIA, Review: newReviewStateJSON(r.Review), Derived: r.Derived}}
}

func (s *Server) apiGetBIA(ctx context.Context, in *idInput) (*biaOutput, error) {
	r, err := s.loadBIA(ctx, in.ID)
	if err != nil {
		return nil, s.apiError(err)
	}
	return newBIAOutput(r), nil
}

type biaReplaceInput = replaceInput[*lifeboat.BIA]

// apiPutBIA creates or replaces a BIA. Its sign-off moves only through
// the transitions, so a review block may only repeat the stored one; of it
// the save takes the interval.
func (s *Server) apiPutBIA(ctx context.Context, in *biaReplaceInput) (*biaOutput, error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	b := in.Body
	if err := checkPathID(in.ID, b.Service); err != nil {
		return nil, err
	}
	if err := s.checkBIAChange(ctx, b); err != nil {
		return nil, s.apiError(err)
	}
	if err := s.BIAs.SaveBIA(ctx, b, version); err != nil {
		return nil, s.apiError(err)
	}
	return s.biaResult(ctx, in.ID)
}

// sameSignOff refuses a review block that would change the sign-off; what
// it leaves out stays as it is.
func sameSignOff(b, stored *lifeboat.BIA) error {
	var p lifeboat.Problems
	want, have := b.Review, stored.Review
	if have == nil {
		have = &lifeboat.BIAReview{}
	}
	if want.Status != "" && want.Status != stored.Status() {
		p.Add("review.status", "the BIA is %s: its status changes only through submit, approve and return", stored.Status())
	}
	if want.ApprovedBy != "" && want.ApprovedBy != have.ApprovedBy {
		p.Add("review.approved_by", "this is set by approving the BIA (POST .../bia/approve), not by a change")
	}
	if want.ApprovedAt != nil && (have.ApprovedAt == nil || !want.ApprovedAt.Truncate(time.Second).Equal(*have.ApprovedAt)) {
		p.Add("review.approved_at", "this is set by approving the BIA (POST .../bia/approve), not by a change")
	}
	return p.Err("the sign-off of the BIA")
}

// biaResult answers a change with the BIA as it now is.
func (s *Server) biaResult(ctx context.Context, id string) (*biaOutput, error) {
	r, err := s.loadBIA(ctx, id)
	if err != nil {
		return nil, s.apiError(err)
	}
	return newBIAOutput(r), nil
}

func (s *Server) apiDeleteBIA(ctx context.Context, in *deleteInput) (*struct{}, error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	return nil, s.apiErrorOrNil(s.BIAs.DeleteBIA(ctx, in.ID, version))
}

type biaStepInput struct {
	ID      string `path:"id" maxLength:"128" doc:"The id of the service."`
	IfMatch string `header:"If-Match" doc:"The ETag from GET; the step is refused with 412 if the BIA changed since, so that an approval covers what the approver read."`
}

// approveBIAInput repeats the fields of biaStepInput: huma reads no
// parameters from embedded structs.
type approveBIAInput struct {
	ID      string `path:"id" maxLength:"128" doc:"The id of the service."`
	IfMatch string `header:"If-Match" doc:"The ETag from GET; the approval is refused with 412 if the BIA changed since, so that it covers what the approver read."`
	Body    *struct {
		ApprovedBy string `json:"approved_by,omitempty" maxLength:"128" doc:"The person who signs off, such as the business owner; by default the person the signed-in user is."`
	} `required:"false"`
}

func (s *Server) apiSubmitBIA(ctx context.Context, in *biaStepInput) (*biaOutput, error) {
	return s.biaStep(ctx, in, func(v int64) (*lifeboat.BIA, error) { return s.BIAs.SubmitBIA(ctx, in.ID, v) })
}

func (s *Server) apiApproveBIA(ctx context.Context, in *approveBIAInput) (*biaOutput, error) {
	named := ""
	if in.Body != nil {
		named = in.Body.ApprovedBy
	}
	by, err := s.approverOf(ctx, named)
	if err != nil {
		return nil, s.apiError(err)
	}
	return s.biaStep(ctx, &biaStepInput{in.ID, in.IfMatch}, func(v int64) (*lifeboat.BIA, error) {
		return s.BIAs.ApproveBIA(ctx, in.ID, by, s.Auth.Now(), v)
	})
}

func (s *Server) apiReturnBIA(ctx context.Context, in *biaStepInput) (*biaOutput, error) {
	return s.biaStep(ctx, in, func(v int64) (*lifeboat.BIA, error) { return s.BIAs.ReturnBIAToDraft(ctx, in.ID, v) })
}

func (s *Server) biaStep(ctx context.Context, in *biaStepInput, step func(int64) (*lifeboat.BIA, error)) (*biaOutput, error) {
	version, err := ifMatchVersion(in.IfMatch)
	if err != nil {
		return nil, err
	}
	if _, err := step(version); err != nil {
		return nil, s.apiError(err)
	}
	return s.biaResult(ctx, in.ID)
}

type biaListInput struct {
	Status string `query:"status" enum:"draft,in-review,approved,due" doc:"Only BIAs in this review status; due: approved, but overdue or changed since."`
}

// listedBIAJSON is one BIA in the list: its service, sign-off and
// derived objectives.
type listedBIAJSON struct {
	Service string              `json:"service"`
	Name    string              `json:"name"`
	Version int64               `json:"version" doc:"The BIA's version, as in its ETag."`
	Review  reviewStateJSON     `json:"review"`
	Derived lifeboat.Derivation `json:"derived"`
}

func (s *Server) apiListBIAs(ctx context.Context, in *biaListInput) (*listOutput[listedBIAJSON], error) {
	l, err := s.allBIAs(ctx, in.Status)
	if err != nil {
		return nil, s.apiError(err)
	}
	out := &listOutput[listedBIAJSON]{}
	out.Body.Items = make([]listedBIAJSON, len(l.Records))
	for i, r := range l.Records {
		out.Body.Items[i] = listedBIAJSON{Service: r.Service.ID, Name: r.Service.Name, Version: r.BIA.Version,
			Review: newReviewStateJSON(r.Review), Derived: r.Derived}
	}
	return out, nil
}

// biaOperations are the API operations on BIAs, registered in routes.go.
func (s *Server) biaOperations() {
	tags := []string{"BIA"}
	path := APIPrefix + "/services/{id}/bia"
	op := func(id, method, path, summary, desc string, status int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: desc,
			DefaultStatus: status, MaxBodyBytes: maxBodyBytes, Tags: tags}
	}
	register(s, read, op("list-bias", http.MethodGet, APIPrefix+"/bias", "List BIAs",
		"Every BIA with its review state and derived objectives, in the order of service ids.", 0), s.apiListBIAs)
	register(s, read, op("get-bia", http.MethodGet, path, "Get the BIA of a service",
		"The BIA, its review state (overdue and needs-review with reasons) and the objectives derived from it with their reasoning.", 0), s.apiGetBIA)
	register(s, editSvc, op("put-bia", http.MethodPut, path, "Create or replace the BIA of a service",
		"Ratings must be on the impact scale. The sign-off changes only through submit, approve and return: a review block may repeat it and set interval_months. Send If-Match to refuse overwriting a newer version.", 0), s.apiPutBIA)
	register(s, editSvc, op("delete-bia", http.MethodDelete, path, "Delete the BIA of a service",
		"The audit trail keeps it.", http.StatusNoContent), s.apiDeleteBIA)
	register(s, editSvc, op("submit-bia", http.MethodPost, path+"/submit", "Submit a BIA for review",
		"Only a draft can be submitted.", http.StatusOK), s.apiSubmitBIA)
	register(s, approveBIA, op("approve-bia", http.MethodPost, path+"/approve", "Approve a BIA",
		"Signs off a BIA in review, by the person named or the signed-in user's person, now. Needs the continuity manager or admin role.", http.StatusOK), s.apiApproveBIA)
	register(s, approveBIA, op("return-bia", http.MethodPost, path+"/return", "Return a BIA to draft",
		"Sends a BIA in review back, or reopens an approved one; the approval is gone. Needs the continuity manager or admin role.", http.StatusOK), s.apiReturnBIA)
}
