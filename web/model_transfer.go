package web

// Paths of the transfer pages (docs/transfer.md).
const (
	TransfersPath      = "/transfers"
	TransferKeysPath   = "/settings/transfer-keys"
	TransferImportPath = "/transfers/import"
)

// TransferKeysView is the school's public transfer keys, for its DSL to
// give to another school's DSL and compare by phone.
type TransferKeysView struct {
	School                    string
	SigningKey, SigningPrint  string
	Recipient, RecipientPrint string
}

// TransfersView lists the leavers whose files are still to transfer.
type TransfersView struct {
	ToDo []TransferToDoRow
}

// TransferToDoRow is one leaver whose file is due.
type TransferToDoRow struct {
	Name, Href, LeftOn, Due string
	Overdue                 bool
}

// PupilTransferView is a pupil's transfer page.
type PupilTransferView struct {
	Name, Reference string
	Action          string // where the forms post, under /pupils/{id}
	OnRoll          bool
	LeftOn, Due     string
	Overdue         bool
	HasFile         bool
	Done            bool // sent or recorded as not needed
	Sent            []SentFileRow
	Received        []ReceivedFileLink
	PDFHref         string

	// The forms, with what was typed and the messages by each field.
	Errors                       Errors
	LeftDay, LeftMonth, LeftYear string
	ToSchool, Recipient          string
	// RecipientPrint is set when the DSL has entered a key and is asked
	// to compare its fingerprint with the receiving school's before the
	// bundle is made.
	RecipientPrint string
	Reason         string
	Receipt        string
	Notice         string // a banner after an action
}

// SentFileRow is one record of what was sent, or recorded as not needed.
type SentFileRow struct {
	What, When, By string
	Reason         string
	DownloadHref   string
	ReceiptStatus  string // "" for a file recorded as not needed
	ReceiptDone    bool
}

// ReceivedFileLink links a pupil's transferred file.
type ReceivedFileLink struct {
	Text, Href string
}

// ChildTransfer is what the child's page says of the pupil's transfer, to
// those who transfer files; Href is "" for anyone else.
type ChildTransfer struct {
	Href     string
	Status   string
	Received []ReceivedFileLink
}

// ImportTransferForm is the page where the DSL uploads a bundle sent to the
// school.
type ImportTransferForm struct {
	Errors    Errors
	Senders   []Choice // schools already trusted, by key; "other" for a new key
	Sender    string   // the chosen sender's value
	SenderKey string   // a new key as typed
}

// ReceivedFileView is a file another school sent: read only.
type ReceivedFileView struct {
	Name, PupilHref, FromSchool, SenderPrint string
	SignedKept                               bool // the bundle is kept as signed, for haven verify
	ReceivedAt, ReceivedBy                   string
	Pupil                                    []SummaryRow
	Concerns                                 []ReceivedConcern
	Referrals                                []SummaryRow
	Confirmed                                bool
	ConfirmAction                            string
	Receipt                                  string
	Notice                                   string
}

// ReceivedConcern is one concern of a received file.
type ReceivedConcern struct {
	Title   string
	Facts   []SummaryRow
	Entries []ReceivedEntry
}

// ReceivedEntry is one entry of a received concern's chronology.
type ReceivedEntry struct {
	Heading, When, Author string
	Paragraphs            []string
	Facts                 []SummaryRow
}

// transferSummary is when a leaver left and where their file stands.
func transferSummary(v PupilTransferView) []SummaryRow {
	rows := []SummaryRow{{Key: "Left the school", Value: v.LeftOn}}
	switch {
	case !v.HasFile:
		rows = append(rows, SummaryRow{Key: "Transfer", Value: "Not needed: there is no child-protection file"})
	case v.Done:
		rows = append(rows, SummaryRow{Key: "Transfer", Value: "Done"})
	case v.Overdue:
		rows = append(rows, SummaryRow{Key: "Transfer due by", Value: v.Due + " (overdue)"})
	default:
		rows = append(rows, SummaryRow{Key: "Transfer due by", Value: v.Due})
	}
	return rows
}

// hasUnconfirmed reports whether a sent file awaits its receipt.
func hasUnconfirmed(sent []SentFileRow) bool {
	for _, s := range sent {
		if s.ReceiptStatus != "" && !s.ReceiptDone {
			return true
		}
	}
	return false
}

// receivedSummary is what the received file's page says of its arrival:
// when and by whom it was imported, that its signature was checked then
// and against which key, and whether the signed bundle is kept so that
// the check can be made again.
func receivedSummary(v ReceivedFileView) []SummaryRow {
	kept := "Kept as it was signed: haven verify checks its signature again, and that this page shows what was signed"
	if !v.SignedKept {
		kept = "Not kept: the file was imported before Haven kept signed bundles, so only its contents are held"
	}
	return append([]SummaryRow{
		{Key: "Received", Value: v.ReceivedAt},
		{Key: "Imported by", Value: v.ReceivedBy},
		{Key: "Signature", Value: "Checked when the file was imported, against the signing key whose fingerprint follows"},
		{Key: "Sender's signing key fingerprint", Value: v.SenderPrint},
		{Key: "Signed bundle", Value: kept},
	}, v.Pupil...)
}
