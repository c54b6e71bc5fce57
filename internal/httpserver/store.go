package httpserver

import (
	"context"

	"github.com/havenapp/haven/internal/safeguarding"
)

// Store is what the pages need of Haven's store: each page declares the
// methods it uses beside its handlers, and Store is all of them.
// internal/postgres implements it; cmd/haven wires the two together.
type Store interface {
	pinger
	viewerStore
	signInStore
	unlockStore
	passwordStore
	passwordResetStore
	referenceLists
	concernFormStore
	draftStore
	entryStore
	attachmentStore
	concernPageStore
	queueStore
	childFileStore
	childExportStore
	retentionStore
	myConcernsStore
	deniedLookStore
	concernMoveStore
	schoolContactsStore
	escalationStore
	noticesStore
	concernPartsStore
	outboxStore
	peopleStore
	invitationStore
	rosterImportStore
	twoFactorStore
	secondStepStore
	secondFactorResetStore
	annualReportStore
	policyStore
	trainingStore
	transferStore
	patternStore
	closuresStore
	dueStore
	auditStore
}

// referenceLists are the lists every page about concerns names things
// from: the kinds of concern and the CSE indicators.
type referenceLists interface {
	Categories(ctx context.Context) ([]safeguarding.Category, error)
	Indicators(ctx context.Context) ([]safeguarding.Indicator, error)
}
