package liaison

import "context"

// AgreementStore keeps agreements, their revisions, attachments and SLA results.
type AgreementStore interface {
	// CreateAgreement stores a. EINVALID names an account, signer or service
	// that does not exist (or a unit that is not an account), a status
	// other than draft, and the signing rule (CheckSigner).
	CreateAgreement(ctx context.Context, a *Agreement) error
	FindAgreementByID(ctx context.Context, id string) (*Agreement, error)
	FindAgreements(ctx context.Context, f AgreementFilter) ([]*Agreement, string, error)
	// UpdateAgreement replaces the agreement's fields with a's, a status
	// change included: EINVALID for a transition the lifecycle refuses
	// (CheckTransition) and for an activation not signed by the account's
	// current customer (CheckSigner). Every save is a new revision.
	UpdateAgreement(ctx context.Context, a *Agreement, ifVersion int) error
	// DeleteAgreement moves the agreement to the trash.
	DeleteAgreement(ctx context.Context, id string, ifVersion int) error
	RestoreAgreement(ctx context.Context, id string) (*Agreement, error)
	// FindAgreementRevisions lists every version of an agreement, newest
	// first, each with the fields it changed.
	FindAgreementRevisions(ctx context.Context, id string) ([]*AgreementRevision, error)
	// FindAgreementRevision returns one version with the agreement as saved; ENOTFOUND when none.
	FindAgreementRevision(ctx context.Context, id string, version int) (*AgreementRevision, error)

	// CreateAttachment stores a file with an agreement.
	CreateAttachment(ctx context.Context, a *Attachment) error
	// FindAttachments lists an agreement's files without their data.
	FindAttachments(ctx context.Context, agreementID string) ([]*Attachment, error)
	// FindAttachment returns a file with its data.
	FindAttachment(ctx context.Context, agreementID, id string) (*Attachment, error)
	DeleteAttachment(ctx context.Context, agreementID, id string) error

	// CreateSLAResult stores r; EINVALID names an unknown agreement or service.
	CreateSLAResult(ctx context.Context, r *SLAResult) error
	FindSLAResultByID(ctx context.Context, id string) (*SLAResult, error)
	// FindSLAResults lists results, newest period first.
	FindSLAResults(ctx context.Context, f SLAResultFilter) ([]*SLAResult, string, error)
	UpdateSLAResult(ctx context.Context, r *SLAResult, ifVersion int) error
	// DeleteSLAResult removes a result for good (the audit trail keeps it).
	DeleteSLAResult(ctx context.Context, id string, ifVersion int) error
	// ImportSLAResults stores every result in one transaction: all or none.
	// An error about rows carries fields named "row N".
	ImportSLAResults(ctx context.Context, rs []*SLAResult) error

	// AgreementKPIs counts live accounts and those with an active agreement.
	AgreementKPIs(ctx context.Context) (AgreementKPIs, error)
}
