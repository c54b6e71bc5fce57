package roster_test

import (
	"strings"
	"testing"
	"time"

	"github.com/havenapp/haven/internal/roster"
	"github.com/havenapp/haven/internal/safeguarding"
)

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func mustPupils(t *testing.T, csv string) []roster.Pupil {
	t.Helper()
	pupils, problems := roster.ParsePupils([]byte(csv))
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	return pupils
}

func TestParsePupils(t *testing.T) {
	want := roster.Pupil{UPN: "A123456789012", FirstName: "Siobhan", LastName: "O'Neill", PreferredFirstName: "Shiv",
		DateOfBirth: date(2011, 3, 4), YearGroup: 9, RegistrationGroup: "9B",
		Flags: roster.Flags{SEND: true, YoungCarer: true}}
	for name, csv := range map[string]string{
		"SIMS": "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg Group,SEN Status,Young Carer\n" +
			"A123456789012,O'Neill,Siobhan,Shiv,04/03/2011,Year 9,9B,K,Y\n",
		"Arbor": "UPN,First Name,Last Name,Preferred First Name,Date of Birth,Year Group,Registration Form,SEND,Child Looked After,Young Carer\n" +
			"A123456789012,Siobhan,O'Neill,Shiv,2011-03-04,Y9,9B,Yes,No,True\n",
		"Bromcom": "Surname,Forename,Preferred Forename,Date Of Birth,NC Year,Tutor Group,UPN,SEN,Young Carer,Excluded\n" +
			"O'Neill,Siobhan,Shiv,4/3/2011,09,9B,A123456789012,E,1,0\n",
		"BOM, CRLF and quotes": "\uFEFF\"UPN\",\"legal_surname\",\"LEGAL-FORENAME\",\"preferred forename\",\"date of birth\",\"year group\",\"reg group\",\"send\",\"young carer\"\r\n" +
			"\"A123456789012\",\"O'Neill\",\"Siobhan\",\"Shiv\",\"2011-03-04\",\"9\",\"9B\",\"y\",\"yes\"\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			got := mustPupils(t, csv)
			if len(got) != 1 {
				t.Fatalf("got %d pupils, want 1", len(got))
			}
			if !got[0].SameRecord(want) {
				t.Errorf("got  %+v\nwant %+v", got[0], want)
			}
		})
	}

	t.Run("QuotedCommasAndLines", func(t *testing.T) {
		got := mustPupils(t, "Forename,Surname,DOB,Year,Reg Group\r\n"+
			"Mary-Jane,\"Smith, Jones\",01/09/2012,7,7C\r\n"+
			"\r\n"+
			"Jo,\"D'Arcy\",2012-09-02,Year 7,\"7,C\"\r\n")
		if len(got) != 2 || got[0].LastName != "Smith, Jones" || got[1].Line != 4 || got[1].RegistrationGroup != "7,C" {
			t.Errorf("got %+v", got)
		}
	})

	t.Run("LegalBeforePlainForename", func(t *testing.T) {
		got := mustPupils(t, "Forename,Legal Forename,Surname,DOB,Year\nAli,Alistair,Khan,2012-01-01,8\n")
		if got[0].FirstName != "Alistair" {
			t.Errorf("first name %q, want the legal one", got[0].FirstName)
		}
	})

	t.Run("PreferredSameAsLegalIsNone", func(t *testing.T) {
		got := mustPupils(t, "Forename,Preferred Forename,Surname,DOB,Year\nAmy,Amy,Khan,2012-01-01,8\n")
		if got[0].PreferredFirstName != "" {
			t.Errorf("preferred first name %q, want none", got[0].PreferredFirstName)
		}
	})
}

func TestParsePupilsProblems(t *testing.T) {
	for name, tc := range map[string]struct {
		csv  string
		want []string // each problem's String, in order
	}{
		"MissingRequiredColumns": {"Surname,Year\nKhan,7\n", []string{
			"line 1: No column for the legal first name: name one “Legal Forename”",
			"line 1: No column for the date of birth",
		}},
		"BadDates": {"Forename,Surname,DOB,Year\nA,B,31/02/2012,7\nC,D,2012/03/04,7\nE,F,,7\n", []string{
			`line 2, column "DOB", "31/02/2012": Enter the date of birth as 2011-03-04 or 04/03/2011 (day first)`,
			`line 3, column "DOB", "2012/03/04": Enter the date of birth`,
			`line 4, column "DOB": Enter the pupil's date of birth`,
		}},
		"EveryProblemOfALine": {"UPN,Forename,Surname,DOB,Year,SEN\nX1,,B,2012-01-01,Reception,maybe\n", []string{
			`line 2, column "UPN", "X1": A UPN is 13 characters`,
			`line 2, column "Forename": Enter the pupil's legal first name`,
			`line 2, column "Year", "Reception": Haven holds pupils in Years 1 to 14`,
			`line 2, column "SEN", "maybe": Enter Y or N`,
		}},
		"DuplicateUPNs": {"UPN,Forename,Surname,DOB,Year\nA123456789012,A,B,2012-01-01,7\nA123456789013,C,D,2012-01-01,7\na123456789012,E,F,2012-01-01,7\n", []string{
			`line 4, column "UPN", "a123456789012": This UPN is also on line 2`,
		}},
		"SamePupilTwiceWithoutUPN": {"Forename,Surname,DOB,Year\nAmy,Khan,2012-01-01,7\nAMY,KHAN,01/01/2012,8\n", []string{
			`line 3: This pupil (same legal name and date of birth, no UPN) is also on line 2`,
		}},
		"YearOutOfRange": {"Forename,Surname,DOB,Year\nA,B,2012-01-01,15\nC,D,2012-01-01,seven\n", []string{
			`line 2, column "Year", "15": Enter a year group from 1 to 14`,
			`line 3, column "Year", "seven": Enter the year group as a number`,
		}},
		"Empty":      {"", []string{"The file is empty"}},
		"HeaderOnly": {"Forename,Surname,DOB,Year\r\n", []string{"The file has a header line but no pupils"}},
		"BadQuotes": {"Forename,Surname,DOB,Year\nA,B,2012-01-01,7\nC,\"D,2012-01-01,7\n", []string{
			"line 3: This line is not well-formed CSV",
		}},
		"NotUTF8": {"Forename,Surname,DOB,Year\nA\xff,B,2012-01-01,7\n", []string{"The file is not UTF-8 text"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, problems := roster.ParsePupils([]byte(tc.csv))
			if len(problems) != len(tc.want) {
				t.Fatalf("got %d problems %v, want %d", len(problems), problems, len(tc.want))
			}
			for i, p := range problems {
				if !strings.HasPrefix(p.String(), tc.want[i]) {
					t.Errorf("problem %d is %q, want it to begin %q", i, p.String(), tc.want[i])
				}
			}
		})
	}
	t.Run("TooLarge", func(t *testing.T) {
		_, problems := roster.ParsePupils(make([]byte, roster.MaxFileBytes+1))
		if len(problems) != 1 || !strings.Contains(problems[0].Message, "larger than 5 MB") {
			t.Errorf("problems %v", problems)
		}
	})
}

func TestParseDate(t *testing.T) {
	for in, want := range map[string]time.Time{
		"2011-03-04": date(2011, 3, 4), "04/03/2011": date(2011, 3, 4), "4/3/2011": date(2011, 3, 4),
		"04-03-2011": date(2011, 3, 4), "04.03.2011": date(2011, 3, 4), "04/03/2011 00:00": date(2011, 3, 4),
		"2011-03-04T00:00:00": date(2011, 3, 4), "29/02/2012": date(2012, 2, 29),
	} {
		if got, ok := roster.ParseDate(in); !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "29/02/2011", "13/13/2011", "2011/03/04", "03/04/11", "1 March 2011", "00/01/2011", "01/01/1899"} {
		if got, ok := roster.ParseDate(in); ok {
			t.Errorf("ParseDate(%q) = %v, want refused", in, got)
		}
	}
}

func TestParseYearGroup(t *testing.T) {
	for in, want := range map[string]int{"7": 7, "07": 7, "Year 7": 7, "year7": 7, "Y7": 7, "Yr 7": 7, "NC Year 11": 11, "14": 14, "1": 1} {
		if got, msg := roster.ParseYearGroup(in); msg != "" || got != want {
			t.Errorf("ParseYearGroup(%q) = %d, %q; want %d", in, got, msg, want)
		}
	}
	for _, in := range []string{"R", "Reception", "N", "Nursery", "0", "15", "Year", "7B", "-1"} {
		if got, msg := roster.ParseYearGroup(in); msg == "" {
			t.Errorf("ParseYearGroup(%q) = %d, want refused", in, got)
		}
	}
}

func TestParseFlag(t *testing.T) {
	for _, in := range []string{"Y", "yes", "TRUE", "1", "t"} {
		if v, ok := roster.ParseFlag(in, false); !v || !ok {
			t.Errorf("ParseFlag(%q) = %v, %v", in, v, ok)
		}
	}
	for _, in := range []string{"", "N", "No", "false", "0", " "} {
		if v, ok := roster.ParseFlag(in, false); v || !ok {
			t.Errorf("ParseFlag(%q) = %v, %v", in, v, ok)
		}
	}
	if _, ok := roster.ParseFlag("K", false); ok {
		t.Error("K is a yes outside the SEN column")
	}
	if v, ok := roster.ParseFlag("K", true); !v || !ok {
		t.Error("K (SEN support) is not a yes in the SEN column")
	}
}

func TestParseStaff(t *testing.T) {
	got, problems := roster.ParseStaff([]byte("\uFEFFE-mail Address,First Name,Last Name,Job Title,Roles\r\n" +
		"R.ONeill@School.example,Róisín,O'Neill,\"Head of Year 9, English\",\"DSL; Staff\"\r\n" +
		"head@school.example,Sam,Patel,Headteacher,headteacher\r\n" +
		"ta@school.example,Lee,Ng,Teaching assistant,\r\n" +
		"dep@school.example,Ana,Cruz,Teacher,\"deputy dsl,staff\"\r\n"))
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	want := []roster.StaffMember{
		{Line: 2, Email: "r.oneill@school.example", Name: "Róisín O'Neill", JobTitle: "Head of Year 9, English", Roles: safeguarding.Roles{"dsl", "staff"}},
		{Line: 3, Email: "head@school.example", Name: "Sam Patel", JobTitle: "Headteacher", Roles: safeguarding.Roles{"principal"}},
		{Line: 4, Email: "ta@school.example", Name: "Lee Ng", JobTitle: "Teaching assistant", Roles: safeguarding.Roles{"staff"}},
		{Line: 5, Email: "dep@school.example", Name: "Ana Cruz", JobTitle: "Teacher", Roles: safeguarding.Roles{"deputy_dsl", "staff"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Line != want[i].Line || got[i].Email != want[i].Email || got[i].Name != want[i].Name || got[i].JobTitle != want[i].JobTitle || !equalRoles(got[i].Roles, want[i].Roles) {
			t.Errorf("line %d: got %+v, want %+v", want[i].Line, got[i], want[i])
		}
	}

	t.Run("Problems", func(t *testing.T) {
		_, problems := roster.ParseStaff([]byte("Email,Name,Roles\nnot-an-address,A,staff\na@school.example,,wizard\nb@school.example,B,staff\nB@school.example,B2,dsl\n"))
		want := []string{
			`line 2, column "Email", "not-an-address": Enter an e-mail address`,
			`line 3, column "Name": Enter the person's name`,
			`line 3, column "Roles", "wizard": "wizard" is not a role Haven knows`,
			`line 5, column "Email", "B@school.example": This e-mail address is also on line 4`,
		}
		if len(problems) != len(want) {
			t.Fatalf("got %v", problems)
		}
		for i, p := range problems {
			if !strings.HasPrefix(p.String(), want[i]) {
				t.Errorf("problem %d is %q, want it to begin %q", i, p, want[i])
			}
		}
	})
	t.Run("NoNameColumn", func(t *testing.T) {
		_, problems := roster.ParseStaff([]byte("Email,Surname\na@school.example,A\n"))
		if len(problems) != 1 || problems[0].Line != 1 || !strings.Contains(problems[0].Message, "No column for the name") {
			t.Errorf("got %v", problems)
		}
	})
}

func TestParseRoles(t *testing.T) {
	for in, want := range map[string]safeguarding.Roles{
		"DSL; Staff": {"dsl", "staff"}, "dsl,staff": {"dsl", "staff"}, "": {"staff"},
		"Deputy DSL and Teacher": {"deputy_dsl", "staff"}, "Chair of Governors": {"chair"},
		"Administrator / Staff": {"staff", "admin"}, "Designated Safeguarding Lead": {"dsl"},
		"staff;staff": {"staff"},
	} {
		got, unknown := roster.ParseRoles(in)
		if unknown != "" || !equalRoles(got, want) {
			t.Errorf("ParseRoles(%q) = %v, %q; want %v", in, got, unknown, want)
		}
	}
	if _, unknown := roster.ParseRoles("staff; caretaker"); unknown != "caretaker" {
		t.Errorf("unknown = %q, want caretaker", unknown)
	}
}

func equalRoles(a, b safeguarding.Roles) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// FuzzParsePupils: no file makes the parser panic, every problem has a
// message, and pupils come back only with no problems or with every line.
func FuzzParsePupils(f *testing.F) {
	f.Add([]byte("UPN,Legal Surname,Legal Forename,DOB,Year\nA123456789012,O'Neill,Siobhan,04/03/2011,Year 9\n"))
	f.Add([]byte("\uFEFFForename,Surname,DOB,Year\r\n\"a,b\",c,2011-03-04,R\r\n"))
	f.Add([]byte("Email,Name,Roles\na@b.example,A,\"dsl; staff\"\n"))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pupils, problems := roster.ParsePupils(data)
		for _, p := range problems {
			if p.Message == "" {
				t.Errorf("problem without a message: %+v", p)
			}
		}
		if len(problems) == 0 {
			for _, p := range pupils {
				if p.FirstName == "" || p.LastName == "" || p.YearGroup < 1 || p.YearGroup > 14 || p.DateOfBirth.IsZero() {
					t.Errorf("pupil accepted without a problem: %+v", p)
				}
			}
		}
		staff, problems := roster.ParseStaff(data)
		if len(problems) == 0 {
			for _, m := range staff {
				if m.Email == "" || m.Name == "" || len(m.Roles) == 0 {
					t.Errorf("staff member accepted without a problem: %+v", m)
				}
			}
		}
	})
}
