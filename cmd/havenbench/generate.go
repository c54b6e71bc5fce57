package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"slices"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// The dataset's shape. Bump datasetVersion whenever the generator or the
// build's checks change, so that an older dataset is rebuilt (and checked)
// rather than measured.
const (
	datasetVersion    = 5
	benchPassword     = "haven-bench-password"
	schoolCount       = 50
	pupilsPerSchool   = 2000     // 100,000 pupils
	concernsPerSchool = 20000    // 1,000,000 concerns
	historyDays       = 730      // concerns are spread over two years
	maxExtraEntries   = 400      // a bound on one concern's chronology
	seed              = 20260303 // the generator is deterministic
)

// The people of every school: one of each leadership role, so that every
// route has its case handlers, and the staff room. 40 people a school.
var staffRoom = []struct {
	key   string // e-mail local part
	title string
	roles []safeguarding.Role
	count int
}{
	{"dsl", "Designated Safeguarding Lead", []safeguarding.Role{safeguarding.RoleDSL, safeguarding.RoleStaff}, 1},
	{"deputy", "Deputy Designated Safeguarding Lead", []safeguarding.Role{safeguarding.RoleDeputyDSL, safeguarding.RoleStaff}, 2},
	{"principal", "Principal", []safeguarding.Role{safeguarding.RolePrincipal, safeguarding.RoleStaff}, 1},
	{"chair", "Chair of Governors", []safeguarding.Role{safeguarding.RoleChair}, 1},
	{"governor", "Governor", []safeguarding.Role{safeguarding.RoleGovernor}, 3},
	{"admin", "Data Manager", []safeguarding.Role{safeguarding.RoleAdmin}, 1},
	{"staff", "Teacher", []safeguarding.Role{safeguarding.RoleStaff}, 31},
}

// benchEmail is the sign-in of the i-th (from 1) person with the given key
// in school s (from 1), e.g. deputy2@school07.bench.test.
func benchEmail(key string, i, school int) string {
	if i == 1 && (key == "dsl" || key == "principal" || key == "chair" || key == "admin") {
		return fmt.Sprintf("%s@school%02d.bench.test", key, school)
	}
	if key == "staff" {
		return fmt.Sprintf("staff%02d@school%02d.bench.test", i, school)
	}
	return fmt.Sprintf("%s%d@school%02d.bench.test", key, i, school)
}

type personRow struct {
	schoolID, id       int64
	email, name, title string
	roles              []safeguarding.Role
}

type pupilRow struct {
	schoolID, id int64
	first, last  string
	year         int16
	born         time.Time
}

// school is one school's roster, as the generator needs it.
type school struct {
	id        int64
	name      string
	people    []personRow
	pupils    []pupilRow
	dsl       int64
	deputies  []int64
	principal int64
	chair     int64
	staff     []int64 // ordinary members of staff (the staff role only)
	names     map[int64]string
	// byRank orders the pupils by how often concerns are about them: the
	// Zipf-distributed rank r picks byRank[r].
	byRank []int64
}

// roster builds every school's people and pupils, with ids assigned in
// order from 1 (the load copies them explicitly).
func roster(now time.Time) []*school {
	rng := mrand.New(mrand.NewPCG(seed, 1))
	schools := make([]*school, schoolCount)
	var personID, pupilID int64
	academicYear := now.Year()
	if now.Month() < time.September {
		academicYear--
	}
	for si := range schools {
		s := &school{id: int64(si + 1), name: fmt.Sprintf("Bench Academy %02d", si+1), names: map[int64]string{}}
		for _, kind := range staffRoom {
			for i := 1; i <= kind.count; i++ {
				personID++
				name := firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
				p := personRow{schoolID: s.id, id: personID, email: benchEmail(kind.key, i, si+1), name: name,
					title: kind.title, roles: kind.roles}
				s.people = append(s.people, p)
				s.names[p.id] = name
				switch kind.key {
				case "dsl":
					s.dsl = p.id
				case "deputy":
					s.deputies = append(s.deputies, p.id)
				case "principal":
					s.principal = p.id
				case "chair":
					s.chair = p.id
				case "staff":
					s.staff = append(s.staff, p.id)
				}
			}
		}
		for i := range pupilsPerSchool {
			pupilID++
			year := int16(7 + i*7/pupilsPerSchool) // years 7 to 13, evenly
			born := time.Date(academicYear-int(year)-5, time.September, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -rng.IntN(365)-1)
			s.pupils = append(s.pupils, pupilRow{schoolID: s.id, id: pupilID, first: firstNames[rng.IntN(len(firstNames))],
				last: lastNames[rng.IntN(len(lastNames))], year: year, born: born})
			s.byRank = append(s.byRank, pupilID)
		}
		rng.Shuffle(len(s.byRank), func(i, j int) { s.byRank[i], s.byRank[j] = s.byRank[j], s.byRank[i] })
		schools[si] = s
	}
	return schools
}

type concernRow struct {
	id             int64
	route          safeguarding.Route
	subjectKind    safeguarding.SubjectKind
	subjectPerson  int64 // 0: none
	adultName      string
	adultRole      string
	loggedBy       int64
	loggedAt       time.Time
	token          [16]byte
	categories     []string
	indicators     []string
	what           string
	childsWords    string
	happenedOn     time.Time
	happenedTime   string
	location       string
	othersTold     string
	actionsTaken   string
	urgent         bool
	status         safeguarding.Status
	assignedTo     int64 // 0: none
	acknowledgedAt *time.Time
	lastActivity   time.Time
	feedbackGiven  bool
	pupils         []int64
}

type entryRow struct {
	id         int64
	concernID  int64
	kind       safeguarding.EntryKind
	author     int64
	at         time.Time
	body       string
	details    []byte
	correctsID int64
	prev, hash []byte
}

// schoolHistory is two years of one school's concerns and their chronologies.
type schoolHistory struct {
	school   *school
	concerns []concernRow
	entries  []entryRow
}

// generator makes the schools' histories one after another, assigning
// concern and entry ids in order so that each concern's entries have
// increasing ids in chain order.
type generator struct {
	now         time.Time
	categories  []string // codes from the reference table
	indicators  []string
	nextConcern int64
	nextEntry   int64
}

func (g *generator) history(s *school) *schoolHistory {
	rng := mrand.New(mrand.NewPCG(seed, uint64(s.id)+100))
	// Zipf over the school's pupils: P(rank k) ∝ (40+k)^-1.1, so the most
	// worried-about children have a hundred concerns or more and most have few.
	zipf := mrand.NewZipf(rng, 1.1, 40, uint64(len(s.byRank)-1))
	h := &schoolHistory{school: s}

	start := g.now.AddDate(0, 0, -historyDays)
	span := g.now.Add(-10 * time.Minute).Sub(start)
	times := make([]time.Time, concernsPerSchool)
	for i := range times {
		times[i] = start.Add(time.Duration(rng.Int64N(int64(span)))).Truncate(time.Microsecond)
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })

	h.concerns = make([]concernRow, 0, concernsPerSchool)
	for _, at := range times {
		g.nextConcern++
		c := g.concern(rng, zipf, s, g.nextConcern, at)
		g.chronology(rng, s, &c, h)
		h.concerns = append(h.concerns, c)
	}
	return h
}

func (g *generator) concern(rng *mrand.Rand, zipf *mrand.Zipf, s *school, id int64, at time.Time) concernRow {
	c := concernRow{id: id, loggedAt: at, urgent: rng.IntN(100) < 3}
	rand.Read(c.token[:])
	c.token[6] = c.token[6]&0x0f | 0x40 // a version 4 UUID
	c.token[8] = c.token[8]&0x3f | 0x80

	switch r := rng.IntN(1000); {
	case r < 940:
		c.route, c.subjectKind = safeguarding.RouteChild, safeguarding.SubjectPupils
		seen := map[int64]bool{}
		for n := 1 + boolInt(rng.IntN(10) == 0)*(1+rng.IntN(2)); len(c.pupils) < n; {
			p := s.byRank[zipf.Uint64()]
			if !seen[p] {
				seen[p] = true
				c.pupils = append(c.pupils, p)
			}
		}
		slices.Sort(c.pupils)
	case r < 985:
		c.route = safeguarding.RouteAdult
		if rng.IntN(10) < 6 {
			c.subjectKind, c.subjectPerson = safeguarding.SubjectStaff, s.staff[rng.IntN(len(s.staff))]
		} else {
			c.subjectKind = safeguarding.SubjectOtherAdult
			c.adultName = firstNames[rng.IntN(len(firstNames))] + " " + lastNames[rng.IntN(len(lastNames))]
			c.adultRole = pick(rng, adultRoles)
		}
	case r < 993:
		c.route, c.subjectKind = safeguarding.RouteSafeguardingLead, safeguarding.SubjectStaff
		c.subjectPerson = append([]int64{s.dsl}, s.deputies...)[rng.IntN(1+len(s.deputies))]
	default:
		c.route, c.subjectKind, c.subjectPerson = safeguarding.RoutePrincipal, safeguarding.SubjectStaff, s.principal
	}

	// Mostly ordinary staff log concerns; sometimes a leader does.
	for c.loggedBy == 0 || c.loggedBy == c.subjectPerson {
		if rng.IntN(10) == 0 {
			c.loggedBy = append([]int64{s.dsl, s.principal}, s.deputies...)[rng.IntN(2+len(s.deputies))]
		} else {
			c.loggedBy = s.staff[rng.IntN(len(s.staff))]
		}
	}

	if c.route == safeguarding.RouteChild {
		c.categories = pickSome(rng, g.categories, 1+rng.IntN(3)*boolInt(rng.IntN(3) == 0))
		if slices.Contains(c.categories, "cse") || rng.IntN(10) == 0 {
			c.indicators = pickSome(rng, g.indicators, 1+rng.IntN(5))
		}
		if rng.IntN(10) < 4 {
			c.childsWords = pick(rng, childsWords)
		}
	} else {
		c.categories = pickSome(rng, adultCategories, 1)
	}
	c.what = sentences(rng, whatHappened, 2+rng.IntN(4))
	c.happenedOn = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -rng.IntN(4))
	if rng.IntN(2) == 0 {
		c.happenedTime = fmt.Sprintf("about %d:%02d", 8+rng.IntN(8), 5*rng.IntN(12))
	}
	c.location = pick(rng, locations)
	if rng.IntN(2) == 0 {
		c.othersTold = pick(rng, othersTold)
	}
	if rng.IntN(3) > 0 {
		c.actionsTaken = pick(rng, actionsTaken)
	}

	// Mostly closed; the recent ones are more often still open.
	age := g.now.Sub(at)
	openChance := 15 // per thousand
	switch {
	case age < 14*24*time.Hour:
		openChance = 700
	case age < 60*24*time.Hour:
		openChance = 300
	}
	c.status = safeguarding.StatusClosed
	if rng.IntN(1000) < openChance {
		switch r := rng.IntN(100); {
		case r < 25 && age < 30*24*time.Hour:
			c.status = safeguarding.StatusNew
		case r < 45:
			c.status = safeguarding.StatusAcknowledged
		case r < 90:
			c.status = safeguarding.StatusInProgress
		default:
			c.status = safeguarding.StatusReopened
		}
	}
	return c
}

// chronology writes a concern's entries, hash-linked, and sets where the
// concern stands from them.
func (g *generator) chronology(rng *mrand.Rand, s *school, c *concernRow, h *schoolHistory) {
	handlers := []int64{s.dsl}
	switch c.route {
	case safeguarding.RouteChild:
		handlers = append(handlers, s.deputies...)
	case safeguarding.RouteAdult:
		handlers = []int64{s.principal, s.dsl}
	case safeguarding.RoutePrincipal:
		handlers = []int64{s.chair}
	case safeguarding.RouteSafeguardingLead:
		handlers = []int64{s.principal}
	}
	handler := handlers[rng.IntN(len(handlers))]

	type step struct {
		kind    safeguarding.EntryKind
		author  int64
		body    string
		details safeguarding.EntryDetails
	}
	// The first entry holds the concern as LogConcern stores it.
	snapshot := c.input().Snapshot().Encode()
	steps := []step{{kind: safeguarding.EntryConcernLogged, author: c.loggedBy, body: string(snapshot)}}
	add := func(kind safeguarding.EntryKind, author int64, body string, d safeguarding.EntryDetails) {
		steps = append(steps, step{kind, author, body, d})
	}
	middle := func(n int) {
		for range n {
			switch r := rng.IntN(100); {
			case r < 8:
				add(safeguarding.EntryFurtherInformation, c.loggedBy, pick(rng, furtherInformation), safeguarding.EntryDetails{})
			case r < 33:
				add(safeguarding.EntryAction, handler, pick(rng, actions), safeguarding.EntryDetails{})
			case r < 48 && c.route == safeguarding.RouteChild:
				add(safeguarding.EntryConversationChild, handler, pick(rng, conversations), safeguarding.EntryDetails{})
			case r < 58 && c.route == safeguarding.RouteChild:
				add(safeguarding.EntryContactParents, handler, pick(rng, parentContacts),
					safeguarding.EntryDetails{SafeToTell: true, Judgement: pick(rng, judgements)})
			case r < 75:
				add(safeguarding.EntryDecision, handler, pick(rng, decisions), safeguarding.EntryDetails{Reason: pick(rng, reasons)})
			case r < 85:
				agency := pick(rng, childAgencies)
				if c.route != safeguarding.RouteChild {
					agency = pick(rng, []safeguarding.Agency{safeguarding.AgencyLADO, safeguarding.AgencyPolice})
				}
				add(safeguarding.EntryReferral, handler, pick(rng, referralNotes), safeguarding.EntryDetails{Agency: agency,
					Reference: fmt.Sprintf("REF-%06d", rng.IntN(1000000))})
			case r < 97:
				add(safeguarding.EntryAction, handler, pick(rng, actions), safeguarding.EntryDetails{})
			default:
				add(safeguarding.EntryCorrection, handler, pick(rng, corrections), safeguarding.EntryDetails{})
			}
		}
	}

	// How much happened: mostly little, sometimes a great deal.
	extra := 0
	switch r := rng.IntN(1000); {
	case r < 620:
	case r < 990:
		extra = 1 + rng.IntN(2)
	default:
		extra = 10 + rng.IntN(50)
	}
	extra = min(extra, maxExtraEntries)

	if c.status != safeguarding.StatusNew {
		add(safeguarding.EntryAcknowledged, handler, "", safeguarding.EntryDetails{})
		if c.route == safeguarding.RouteChild && rng.IntN(10) < 3 {
			c.assignedTo = handlers[rng.IntN(len(handlers))]
			add(safeguarding.EntryAssigned, handler, "", safeguarding.EntryDetails{AssigneeID: c.assignedTo, AssigneeName: s.names[c.assignedTo]})
		}
		if c.status != safeguarding.StatusAcknowledged && rng.IntN(10) < 3 {
			add(safeguarding.EntryStatusChanged, handler, "", safeguarding.EntryDetails{FromStatus: safeguarding.StatusAcknowledged, ToStatus: safeguarding.StatusInProgress})
		}
		middle(extra)
	}
	if c.status == safeguarding.StatusClosed || c.status == safeguarding.StatusReopened {
		if rng.IntN(10) < 6 {
			add(safeguarding.EntryFeedback, handler, pick(rng, feedback), safeguarding.EntryDetails{})
		}
		add(safeguarding.EntryClosed, handler, pick(rng, outcomes), safeguarding.EntryDetails{})
	}
	if c.status == safeguarding.StatusReopened {
		add(safeguarding.EntryReopened, handler, pick(rng, reopenReasons), safeguarding.EntryDetails{})
		middle(rng.IntN(3))
	}

	// Times: spread over the days after the concern was logged, never
	// later than now, each strictly after the one before.
	window := g.now.Add(-time.Minute).Sub(c.loggedAt)
	if limit := time.Duration(20+rng.IntN(60)) * 24 * time.Hour; window > limit {
		window = limit
	}
	offsets := make([]time.Duration, len(steps))
	for i := 1; i < len(offsets); i++ {
		offsets[i] = time.Duration(rng.Int64N(int64(window)))
	}
	slices.Sort(offsets)

	prev := []byte{}
	first := len(h.entries)
	at := c.loggedAt
	for i, st := range steps {
		if i > 0 {
			next := c.loggedAt.Add(offsets[i]).Truncate(time.Microsecond)
			if !next.After(at) {
				next = at.Add(time.Microsecond)
			}
			at = next
		}
		g.nextEntry++
		e := safeguarding.Entry{SchoolID: s.id, ID: g.nextEntry, ConcernID: c.id, Kind: st.kind, AuthorID: st.author, At: at,
			Body: st.body, Details: st.details}
		if st.kind == safeguarding.EntryReferral {
			e.Details.ReferredOn = at.Format(time.DateOnly)
		}
		if st.kind == safeguarding.EntryCorrection {
			// A correction names an earlier entry of the same concern (not the concern itself).
			if n := len(h.entries) - first; n > 1 {
				target := h.entries[first+1+rng.IntN(n-1)]
				e.CorrectsID, e.Details.CorrectsKind = target.id, string(target.kind)
			} else {
				e.Kind, e.Body = safeguarding.EntryAction, pick(rng, actions)
			}
		}
		switch e.Kind {
		case safeguarding.EntryAcknowledged:
			t := at
			c.acknowledgedAt = &t
		case safeguarding.EntryFeedback:
			c.feedbackGiven = true
		}
		if c.acknowledgedAt == nil && e.Kind != safeguarding.EntryConcernLogged && e.Kind != safeguarding.EntryFurtherInformation {
			t := at
			c.acknowledgedAt = &t
		}
		e.PrevHash = prev
		e.Hash = safeguarding.ChainHash(prev, e)
		details, _ := json.Marshal(e.Details)
		h.entries = append(h.entries, entryRow{id: e.ID, concernID: c.id, kind: e.Kind, author: e.AuthorID, at: at, body: e.Body,
			details: details, correctsID: e.CorrectsID, prev: prev, hash: e.Hash})
		prev = e.Hash
	}
	c.lastActivity = at
}

func uuidString(u [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func pick[T any](rng *mrand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// pickSome picks n distinct items, in the list's order.
func pickSome(rng *mrand.Rand, xs []string, n int) []string {
	idx := rng.Perm(len(xs))[:min(n, len(xs))]
	slices.Sort(idx)
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = xs[j]
	}
	return out
}

func sentences(rng *mrand.Rand, pool []string, n int) string {
	out := ""
	for i, j := range rng.Perm(len(pool))[:min(n, len(pool))] {
		if i > 0 {
			out += " "
		}
		out += pool[j]
	}
	return out
}

// input is the concern as the form files it. With several pupils, the
// indicators and words are the first pupil's, the child harmed or at risk;
// the others are witnesses.
func (c *concernRow) input() safeguarding.ConcernInput {
	in := safeguarding.ConcernInput{
		SubmissionToken: uuidString(c.token), SubjectKind: c.subjectKind, PupilIDs: c.pupils, SubjectPersonID: c.subjectPerson,
		SubjectAdultName: c.adultName, SubjectAdultRole: c.adultRole, Categories: c.categories, Indicators: c.indicators,
		WhatHappened: c.what, ChildsWords: c.childsWords, HappenedOn: c.happenedOn, HappenedTime: c.happenedTime,
		Location: c.location, OthersTold: c.othersTold, ActionsTaken: c.actionsTaken, Urgent: c.urgent}
	if len(c.pupils) > 1 {
		in.Parts = []safeguarding.PupilPart{{PupilID: c.pupils[0], Part: safeguarding.PartHarmed, Indicators: c.indicators, ChildsWords: c.childsWords}}
		for _, p := range c.pupils[1:] {
			in.Parts = append(in.Parts, safeguarding.PupilPart{PupilID: p, Part: safeguarding.PartWitness})
		}
		in.Indicators, in.ChildsWords = nil, ""
	}
	return in
}
