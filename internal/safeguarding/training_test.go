package safeguarding_test

import (
	"testing"
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

func date(s string) time.Time {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return d
}

func rec(kind safeguarding.TrainingKind, on string) safeguarding.TrainingRecord {
	return safeguarding.TrainingRecord{Kind: kind, CompletedOn: date(on)}
}

func TestTrainingRoleRules(t *testing.T) {
	checkRoleRule(t, "needs training", safeguarding.NeedsTraining, map[safeguarding.Role]bool{
		safeguarding.RoleStaff: true, safeguarding.RoleDSL: true, safeguarding.RoleDeputyDSL: true, safeguarding.RolePrincipal: true,
		safeguarding.RoleChair: false, safeguarding.RoleGovernor: false, safeguarding.RoleAdmin: false,
	})
	checkRoleRule(t, "may edit training", safeguarding.MayEditTraining, map[safeguarding.Role]bool{
		safeguarding.RoleDSL: true, safeguarding.RoleDeputyDSL: false, safeguarding.RolePrincipal: false,
		safeguarding.RoleChair: false, safeguarding.RoleStaff: false, safeguarding.RoleGovernor: false, safeguarding.RoleAdmin: false,
	})
	checkRoleRule(t, "may read all training", safeguarding.MayReadAllTraining, map[safeguarding.Role]bool{
		safeguarding.RoleDSL: true, safeguarding.RoleDeputyDSL: true, safeguarding.RolePrincipal: true,
		safeguarding.RoleChair: true, safeguarding.RoleGovernor: true, safeguarding.RoleStaff: false, safeguarding.RoleAdmin: false,
	})
	checkRoleRule(t, "may see the training register", safeguarding.MaySeeTrainingRegister, map[safeguarding.Role]bool{
		safeguarding.RoleDSL: true, safeguarding.RoleDeputyDSL: true, safeguarding.RolePrincipal: true,
		safeguarding.RoleChair: false, safeguarding.RoleGovernor: false, safeguarding.RoleStaff: false, safeguarding.RoleAdmin: false,
	})
	staff := safeguarding.Viewer{SchoolID: 1, PersonID: 7, Roles: safeguarding.Roles{safeguarding.RoleStaff}}
	if !safeguarding.MayReadTraining(staff, 7) || safeguarding.MayReadTraining(staff, 8) {
		t.Error("a member of staff reads their own training, and no one else's")
	}
}

func TestAddMonths(t *testing.T) {
	for _, c := range []struct {
		from   string
		months int
		want   string
	}{
		{"2025-03-01", 12, "2026-03-01"},
		{"2024-02-29", 12, "2025-02-28"}, // a leap day: early, never late
		{"2024-02-29", 48, "2028-02-29"},
		{"2024-02-29", 24, "2026-02-28"},
		{"2025-01-31", 1, "2025-02-28"},
		{"2025-08-31", 12, "2026-08-31"},
	} {
		if got := safeguarding.AddMonths(date(c.from), c.months); !got.Equal(date(c.want)) {
			t.Errorf("%s + %d months = %s, want %s", c.from, c.months, got.Format(time.DateOnly), c.want)
		}
	}
}

func TestTrainingStatus(t *testing.T) {
	staff := safeguarding.Roles{safeguarding.RoleStaff}
	deputy := safeguarding.Roles{safeguarding.RoleDeputyDSL}
	ind := func(on string) safeguarding.TrainingRecord { return rec(safeguarding.TrainingInduction, on) }
	upd := func(on string) safeguarding.TrainingRecord { return rec(safeguarding.TrainingAnnualUpdate, on) }
	dslT := func(on string) safeguarding.TrainingRecord { return rec(safeguarding.TrainingDSL, on) }
	const (
		inDate  = safeguarding.TrainingInDate
		soon    = safeguarding.TrainingDueSoon
		overdue = safeguarding.TrainingOverdue
		never   = safeguarding.TrainingNeverDone
	)
	for _, c := range []struct {
		name    string
		roles   safeguarding.Roles
		started string
		records []safeguarding.TrainingRecord
		on      string
		req     safeguarding.Requirement
		due     string // "" for none
		state   safeguarding.TrainingState
	}{
		{"induction before the first day is due soon", staff, "2025-09-01", nil, "2025-08-20", safeguarding.RequirementInduction, "2025-09-01", soon},
		{"induction on the first day is due, not late", staff, "2025-09-01", nil, "2025-09-01", safeguarding.RequirementInduction, "2025-09-01", soon},
		{"induction the day after the start is never done", staff, "2025-09-01", nil, "2025-09-02", safeguarding.RequirementInduction, "2025-09-01", never},
		{"induction done once is done for good", staff, "2015-09-01", []safeguarding.TrainingRecord{ind("2015-09-02")}, "2026-01-01", safeguarding.RequirementInduction, "", inDate},
		{"no update yet: due a year after the start", staff, "2025-09-01", nil, "2025-09-02", safeguarding.RequirementUpdate, "2026-09-01", inDate},
		{"no training at all, a year on: the update is never done", staff, "2024-09-01", nil, "2025-09-02", safeguarding.RequirementUpdate, "2025-09-01", never},
		{"induction counts as an update", staff, "2025-09-01", []safeguarding.TrainingRecord{ind("2025-09-03")}, "2026-08-03", safeguarding.RequirementUpdate, "2026-09-03", inDate},
		{"31 days before the update is due: in date", staff, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01"), upd("2025-03-01")}, "2026-01-29", safeguarding.RequirementUpdate, "2026-03-01", inDate},
		{"30 days before the update is due: due soon", staff, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01"), upd("2025-03-01")}, "2026-01-30", safeguarding.RequirementUpdate, "2026-03-01", soon},
		{"exactly 12 months on: due today, not late", staff, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01"), upd("2025-03-01")}, "2026-03-01", safeguarding.RequirementUpdate, "2026-03-01", soon},
		{"12 months and a day: overdue", staff, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01"), upd("2025-03-01")}, "2026-03-02", safeguarding.RequirementUpdate, "2026-03-01", overdue},
		{"the latest update counts, whatever the order", staff, "2020-01-01", []safeguarding.TrainingRecord{upd("2025-03-01"), ind("2020-01-01"), upd("2024-03-01")}, "2026-03-02", safeguarding.RequirementUpdate, "2026-03-01", overdue},
		{"an update on a leap day is due on 28 February", staff, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01"), upd("2024-02-29")}, "2025-03-01", safeguarding.RequirementUpdate, "2025-02-28", overdue},
		{"online safety is not an update", staff, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01"), rec(safeguarding.TrainingOnlineSafety, "2025-06-01")}, "2025-06-02", safeguarding.RequirementUpdate, "2021-01-01", overdue},
		{"DSL training counts as an update", deputy, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01"), dslT("2025-06-01")}, "2025-06-02", safeguarding.RequirementUpdate, "2026-06-01", inDate},
		{"a deputy never trained as one: due from the start", deputy, "2020-01-01", []safeguarding.TrainingRecord{ind("2020-01-01")}, "2025-06-02", safeguarding.RequirementDSL, "2020-01-01", never},
		{"DSL training lasts 2 years to the day", deputy, "2020-01-01", []safeguarding.TrainingRecord{dslT("2023-06-01")}, "2025-06-01", safeguarding.RequirementDSL, "2025-06-01", soon},
		{"DSL training over 2 years old is overdue", deputy, "2020-01-01", []safeguarding.TrainingRecord{dslT("2023-06-01")}, "2025-06-02", safeguarding.RequirementDSL, "2025-06-01", overdue},
		{"DSL training on a leap day lasts to 28 February", deputy, "2020-01-01", []safeguarding.TrainingRecord{dslT("2024-02-29")}, "2026-02-28", safeguarding.RequirementDSL, "2026-02-28", soon},
		{"the refresher follows the latest DSL training", deputy, "2020-01-01", []safeguarding.TrainingRecord{dslT("2024-06-01")}, "2025-06-02", safeguarding.RequirementRefresher, "2025-06-01", overdue},
		{"an annual update refreshes a deputy", deputy, "2020-01-01", []safeguarding.TrainingRecord{dslT("2024-06-01"), upd("2025-05-01")}, "2025-06-02", safeguarding.RequirementRefresher, "2026-05-01", inDate},
		{"induction does not refresh a deputy", deputy, "2020-01-01", []safeguarding.TrainingRecord{dslT("2024-06-01"), ind("2025-05-01")}, "2025-06-02", safeguarding.RequirementRefresher, "2025-06-01", overdue},
		{"a refresher never done: a year after the start", deputy, "2025-01-01", nil, "2026-01-02", safeguarding.RequirementRefresher, "2026-01-01", never},
	} {
		t.Run(c.name, func(t *testing.T) {
			ss := safeguarding.TrainingStatus(c.roles, date(c.started), c.records, date(c.on))
			for _, s := range ss {
				if s.Requirement != c.req {
					continue
				}
				var due string
				if !s.Due.IsZero() {
					due = s.Due.Format(time.DateOnly)
				}
				if due != c.due || s.State != c.state {
					t.Errorf("%s: due %q, %s; want due %q, %s", c.req, due, s.State.Label(), c.due, c.state.Label())
				}
				return
			}
			t.Errorf("no %s among %v", c.req, ss)
		})
	}
}

func TestTrainingRequirementsByRole(t *testing.T) {
	on, started := date("2026-01-01"), date("2020-01-01")
	for _, c := range []struct {
		roles safeguarding.Roles
		n     int
	}{
		{safeguarding.Roles{safeguarding.RoleStaff}, 2},
		{safeguarding.Roles{safeguarding.RolePrincipal}, 2},
		{safeguarding.Roles{safeguarding.RoleDSL}, 4},
		{safeguarding.Roles{safeguarding.RoleDeputyDSL, safeguarding.RoleStaff}, 4},
		{safeguarding.Roles{safeguarding.RoleGovernor}, 0},
		{safeguarding.Roles{safeguarding.RoleChair, safeguarding.RoleGovernor}, 0},
		{safeguarding.Roles{safeguarding.RoleAdmin}, 0},
	} {
		if got := len(safeguarding.TrainingStatus(c.roles, started, nil, on)); got != c.n {
			t.Errorf("roles %v: %d requirements, want %d", c.roles, got, c.n)
		}
	}
}

func TestWorstTraining(t *testing.T) {
	ss := []safeguarding.RequirementStatus{
		{Due: date("2026-05-01"), State: safeguarding.TrainingDueSoon},
		{Due: date("2025-05-01"), State: safeguarding.TrainingOverdue},
		{Due: date("2024-05-01"), State: safeguarding.TrainingOverdue},
		{State: safeguarding.TrainingInDate},
	}
	state, due := safeguarding.WorstTraining(ss)
	if state != safeguarding.TrainingOverdue || !due.Equal(date("2024-05-01")) {
		t.Errorf("worst = %s, %v; want overdue since 2024-05-01", state.Label(), due)
	}
	if state, _ := safeguarding.WorstTraining(nil); state.NeedsAttention() {
		t.Error("nothing required needs no attention")
	}
}

func TestParseTrainingKind(t *testing.T) {
	for in, want := range map[string]safeguarding.TrainingKind{
		"induction": safeguarding.TrainingInduction, "Annual update": safeguarding.TrainingAnnualUpdate,
		"annual_update": safeguarding.TrainingAnnualUpdate, "DSL training": safeguarding.TrainingDSL,
		"Deputy DSL training": safeguarding.TrainingDSL, "dsl_training": safeguarding.TrainingDSL,
		"Online safety": safeguarding.TrainingOnlineSafety, "other": safeguarding.TrainingOther,
	} {
		if got, ok := safeguarding.ParseTrainingKind(in); !ok || got != want {
			t.Errorf("ParseTrainingKind(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	if _, ok := safeguarding.ParseTrainingKind("first aid"); ok {
		t.Error("first aid read as a safeguarding training")
	}
}
