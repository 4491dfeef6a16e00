package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/lifeboat-itscm/lifeboat"
	"github.com/lifeboat-itscm/lifeboat/graph"
	"github.com/lifeboat-itscm/lifeboat/model"
)

// maxUploadBytes bounds the model files a page uploads at once. The form
// that applies them sends them back as fields, and browsers send every
// line break in a field as CRLF, so that form may be up to twice as large.
const maxUploadBytes = 16 << 20

// pastedName is the file name of YAML pasted into the upload form.
const pastedName = "pasted.yaml"

// modelPageData is the /model page: what the stored model holds, its
// findings and, for editors, the upload form.
type modelPageData struct {
	Counts   lifeboat.ModelCounts
	Findings findingsView
	Upload   uploadForm
}

// uploadForm is the upload form as shown again after a refusal.
type uploadForm struct {
	Source  string // pasted YAML
	Prune   bool
	Message string
	Errors  []loadErrorView
}

// modelPage shows the stored model: its size, its findings, a download
// and, for editors, the form to upload model files.
func (s *Server) modelPage(w http.ResponseWriter, r *http.Request) {
	s.renderModelPage(w, r, http.StatusOK, uploadForm{})
}

func (s *Server) renderModelPage(w http.ResponseWriter, r *http.Request, status int, up uploadForm) {
	m, err := s.Models.FindModel(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	d := modelPageData{Counts: m.Counts(), Findings: newFindingsView(graph.Analyse(m, s.Auth.Now()), true), Upload: up}
	s.render(w, r, status, "model", page{Title: "Model", Nav: "model", Data: d})
}

// modelExport downloads the stored model as one YAML file, as GET
// /api/v1/model gives it.
func (s *Server) modelExport(w http.ResponseWriter, r *http.Request) {
	m, err := s.Models.FindModel(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := model.Encode(&buf, m); err != nil {
		s.pageError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", yamlType+"; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="lifeboat-model.yaml"`)
	h.Set("Cache-Control", "no-cache")
	w.Write(buf.Bytes())
}

// upload is what a model form posts: the files, from file inputs, pasted
// text or the hidden fields of the plan page, and the options.
type upload struct {
	Files  []model.File
	Source string
	Prune  bool
	Expect string
}

// planPageData is the review page of a plan.
type planPageData struct {
	Files    []uploadedFile
	Prune    bool
	Plan     *lifeboat.Plan
	Groups   []planGroup
	Findings findingsView
	// Stale says the database changed between the review and the apply.
	Stale bool
	// Refusal says why the plan cannot be applied; nil when it can.
	Refusal *planRefusal
}

// uploadedFile is a file as the apply form posts it back.
type uploadedFile struct{ Name, Content string }

type planRefusal struct {
	Reasons  []string
	Conflict bool // pruning would delete what others need
}

// modelPlanPage plans applying uploaded model files and shows the plan
// for review; load errors show the upload form again.
func (s *Server) modelPlanPage(w http.ResponseWriter, r *http.Request) {
	up, ok := s.readUpload(w, r, maxUploadBytes)
	if !ok {
		return
	}
	s.reviewUpload(w, r, up, false)
}

// reviewUpload plans an upload without changing anything and shows the
// plan; stale says the apply it follows was refused as out of date.
func (s *Server) reviewUpload(w http.ResponseWriter, r *http.Request, up upload, stale bool) {
	m, ok := s.parseUpload(w, r, up)
	if !ok {
		return
	}
	plan, err := s.Models.ApplyModel(r.Context(), m, lifeboat.ApplyOptions{Prune: up.Prune, DryRun: true})
	s.renderPlan(w, r, up, m, plan, err, stale)
}

// modelApplyPage applies reviewed model files while the plan is still the
// one reviewed; otherwise it shows the new plan.
func (s *Server) modelApplyPage(w http.ResponseWriter, r *http.Request) {
	up, ok := s.readUpload(w, r, 2*maxUploadBytes)
	if !ok {
		return
	}
	if up.Expect == "" { // only a reviewed plan is applied
		s.reviewUpload(w, r, up, false)
		return
	}
	m, ok := s.parseUpload(w, r, up)
	if !ok {
		return
	}
	plan, err := s.Models.ApplyModel(r.Context(), m, lifeboat.ApplyOptions{Prune: up.Prune, Expect: up.Expect})
	switch {
	case lifeboat.ErrorCode(err) == lifeboat.ESTALE:
		s.renderPlan(w, r, up, m, plan, nil, true)
	case err != nil:
		s.renderPlan(w, r, up, m, nil, err, false)
	case plan.Empty():
		redirect(w, r, "/model", "Nothing to apply: the database already matches these files.")
	default:
		redirect(w, r, "/model", fmt.Sprintf("Applied: %d created, %d updated, %d deleted.", plan.Create, plan.Update, plan.Delete))
	}
}

// renderPlan shows a plan, or why it was refused, with the findings of
// the model that applying it would give.
func (s *Server) renderPlan(w http.ResponseWriter, r *http.Request, up upload, m *lifeboat.Model, plan *lifeboat.Plan, err error, stale bool) {
	d := planPageData{Prune: up.Prune, Plan: plan, Stale: stale}
	for _, f := range up.Files {
		d.Files = append(d.Files, uploadedFile{Name: f.Name, Content: string(f.Data)})
	}
	status := http.StatusOK
	switch code := lifeboat.ErrorCode(err); code {
	case "":
		have, ferr := s.Models.FindModel(r.Context())
		if ferr != nil {
			s.pageError(w, r, ferr)
			return
		}
		d.Groups = groupChanges(plan)
		d.Findings = newFindingsView(graph.Analyse(lifeboat.Overlay(have, m, up.Prune), s.Auth.Now()), false)
		if stale {
			status = http.StatusConflict
		}
	case lifeboat.ECONFLICT, lifeboat.EINVALID:
		d.Refusal = &planRefusal{Reasons: refusalReasons(err), Conflict: code == lifeboat.ECONFLICT}
		status = statusOf(code)
	default:
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, status, "model_plan", page{Title: "Review changes", Nav: "model", Data: d})
}

// parseUpload loads the uploaded files; it shows the upload form with
// the load errors and returns false when they cannot be loaded.
func (s *Server) parseUpload(w http.ResponseWriter, r *http.Request, up upload) (*lifeboat.Model, bool) {
	form := uploadForm{Source: up.Source, Prune: up.Prune}
	if len(up.Files) == 0 {
		form.Message = "Choose one or more model files, or paste YAML."
		s.renderModelPage(w, r, http.StatusUnprocessableEntity, form)
		return nil, false
	}
	m, err := parseModelFiles(up.Files...)
	var errs model.Errors
	switch {
	case errors.As(err, &errs):
		form.Message = "The files could not be loaded: " + fmt.Sprint(len(errs)) + " " + plural(len(errs), "problem", "problems") + ". Fix them and upload the files again."
		form.Errors = newLoadErrors(errs, up.Files)
		s.renderModelPage(w, r, http.StatusUnprocessableEntity, form)
		return nil, false
	case err != nil:
		s.pageError(w, r, err)
		return nil, false
	}
	return m, true
}

// readUpload reads a posted model form of at most limit bytes: files
// chosen in the file input, YAML pasted into the text area, and the
// files the plan page posts back as name and content fields. It answers
// the request itself and returns false when the form cannot be read.
func (s *Server) readUpload(w http.ResponseWriter, r *http.Request, limit int64) (upload, bool) {
	var up upload
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		s.errorPage(w, r, http.StatusUnsupportedMediaType, "Model files are uploaded as multipart/form-data.")
		return up, false
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	// Everything fits in memory: the body is at most limit bytes.
	if err := r.ParseMultipartForm(limit); err != nil {
		if tooBig := new(http.MaxBytesError); errors.As(err, &tooBig) {
			s.errorPage(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("The files are too large: upload at most %d MiB at once.", maxUploadBytes>>20))
		} else {
			s.errorPage(w, r, http.StatusBadRequest, "The form could not be read.")
		}
		return up, false
	}
	defer r.MultipartForm.RemoveAll()
	for i, h := range r.MultipartForm.File["files"] {
		if h.Filename == "" && h.Size == 0 {
			continue // the file input, with nothing chosen
		}
		f, err := h.Open()
		if err != nil {
			s.pageError(w, r, err)
			return up, false
		}
		data, err := io.ReadAll(f)
		f.Close()
		if err != nil {
			s.pageError(w, r, err)
			return up, false
		}
		up.Files = append(up.Files, model.File{Name: uploadName(h.Filename, i), Data: data})
	}
	names, contents := r.PostForm["file.name"], r.PostForm["file.content"]
	if len(names) != len(contents) {
		s.errorPage(w, r, http.StatusBadRequest, "The form could not be read: each file needs a name and a content.")
		return up, false
	}
	for i := range names {
		up.Files = append(up.Files, model.File{Name: uploadName(names[i], i), Data: []byte(contents[i])})
	}
	if up.Source = r.PostFormValue("source"); strings.TrimSpace(up.Source) != "" {
		up.Files = append(up.Files, model.File{Name: pastedName, Data: []byte(up.Source)})
	}
	up.Prune = r.PostFormValue("prune") != ""
	up.Expect = textValue(r.PostFormValue("expect"), 64)
	return up, true
}

// uploadName is the name an uploaded file goes by in load errors: its
// base name as the browser gives it, or a made-up one.
func uploadName(name string, i int) string {
	name = path.Base(strings.ReplaceAll(textValue(name, 255), `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return fmt.Sprintf("upload-%d.yaml", i+1)
	}
	return name
}
