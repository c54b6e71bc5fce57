package safeguarding

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"strings"
	"time"
	_ "time/tzdata" // England's time zone, whatever the host has installed
)

// Working days are the days a school works: not a Saturday or Sunday, not a
// bank holiday in England and Wales, and not one of the school's own
// closure days (holidays between terms, INSET days). Every deadline Haven
// computes counts them with one Calendar (DESIGN.md "Referrals and
// deadlines"; policy §11.9).
//
// Days are dates, held as midnight UTC like the dates ParseDate returns; an
// instant becomes the date it is in England with DateInEngland.

//go:embed bank-holidays-england-and-wales.txt
var bankHolidaysEnglandAndWales string

// BankHolidays are the bank holidays Haven counts as non-working days, by
// date.
type BankHolidays map[time.Time]string

// DefaultBankHolidays are the bank holidays of England and Wales shipped with
// Haven (2020–2030).
func DefaultBankHolidays() BankHolidays {
	h, err := ReadBankHolidays(strings.NewReader(bankHolidaysEnglandAndWales))
	if err != nil {
		panic("the shipped bank holidays do not read: " + err.Error())
	}
	return h
}

// ReadBankHolidays reads a bank holidays file: a date (YYYY-MM-DD), a space
// and a name on each line; blank lines and lines starting with # are
// skipped. A line that is not so is an error naming its line number, so a
// school's replacement file cannot silently drop a holiday.
func ReadBankHolidays(r io.Reader) (BankHolidays, error) {
	h := BankHolidays{}
	lines := bufio.NewScanner(r)
	for n := 1; lines.Scan(); n++ {
		line := strings.TrimSpace(lines.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		date, name, _ := strings.Cut(line, " ")
		day, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return nil, fmt.Errorf("line %d: %q is not a date like 2026-12-25", n, date)
		}
		h[day] = strings.TrimSpace(name)
	}
	if err := lines.Err(); err != nil {
		return nil, err
	}
	if len(h) == 0 {
		return nil, fmt.Errorf("no bank holidays in the file")
	}
	return h, nil
}

// Closure is a day or run of days a school is closed: a holiday between
// terms or an INSET day, entered by the DSL or administrator.
type Closure struct {
	ID       int64
	SchoolID int64
	From, To time.Time // dates, both closed days; To is From for one day
	Reason   string
}

// Problems says what is wrong with a closure as entered.
func (c Closure) Problems() FieldProblems {
	p := FieldProblems{}
	if c.From.IsZero() {
		p["from"] = "Enter the first day the school is closed, for example 21 12 2026"
	}
	if c.To.IsZero() {
		p["to"] = "Enter the last day the school is closed, for example 1 1 2027"
	}
	if !c.From.IsZero() && !c.To.IsZero() && c.To.Before(c.From) {
		p["to"] = "The last day must be the same as or after the first day"
	}
	if !c.From.IsZero() && !c.To.IsZero() && c.To.Sub(c.From) > 366*24*time.Hour {
		p["to"] = "A closure must be shorter than a year"
	}
	if strings.TrimSpace(c.Reason) == "" {
		p["reason"] = "Say why the school is closed, for example Christmas holidays or INSET day"
	} else if len(c.Reason) > 200 {
		p["reason"] = "The reason must be 200 characters or fewer"
	}
	return p
}

// Calendar is which days are working days at one school.
type Calendar struct {
	holidays BankHolidays
	closures []Closure
}

// NewCalendar is the calendar of a school with the given bank holidays and
// closure days.
func NewCalendar(holidays BankHolidays, closures []Closure) Calendar {
	return Calendar{holidays: holidays, closures: closures}
}

// WhyClosed says why day is not a working day ("" when it is one).
func (c Calendar) WhyClosed(day time.Time) string {
	day = dateOnly(day)
	switch day.Weekday() {
	case time.Saturday, time.Sunday:
		return day.Weekday().String()
	}
	if name, ok := c.holidays[day]; ok {
		return name
	}
	for _, cl := range c.closures {
		if !day.Before(cl.From) && !day.After(cl.To) {
			return cl.Reason
		}
	}
	return ""
}

// WorkingDay reports whether day is a working day.
func (c Calendar) WorkingDay(day time.Time) bool { return c.WhyClosed(day) == "" }

// AddWorkingDays is the nth working day after day (n > 0): a referral made
// on a Friday, with one working day for the agency's response, is due on
// the Monday, or the Tuesday when that Monday is a bank holiday. A deadline
// falls due at the end of the day it names.
func (c Calendar) AddWorkingDays(day time.Time, n int) time.Time {
	day = dateOnly(day)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.WorkingDay(day) {
			n--
		}
	}
	return day
}

// WorkingDaysLate is how many working days after due the day today is: 0
// while today is on or before due, 1 on the first working day after it.
func (c Calendar) WorkingDaysLate(due, today time.Time) int {
	due, today = dateOnly(due), dateOnly(today)
	late := 0
	for d := due.AddDate(0, 0, 1); !d.After(today); d = d.AddDate(0, 0, 1) {
		if c.WorkingDay(d) {
			late++
		}
	}
	return late
}

// NextWorkingMorning is hour:00 in England on the first working day after
// the day t falls on in England: when a concern logged on a Friday evening
// is first expected to be seen, if no one has seen it by then.
func (c Calendar) NextWorkingMorning(t time.Time, hour int) time.Time {
	day := c.AddWorkingDays(DateInEngland(t), 1)
	return time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, England())
}

// Overdue reports whether a deadline due on the date due has passed at now:
// from the start of the day after it, in England.
func Overdue(due, now time.Time) bool { return DateInEngland(now).After(dateOnly(due)) }

// England is the schools' time zone.
func England() *time.Location { return england }

var england = func() *time.Location {
	if loc, err := time.LoadLocation("Europe/London"); err == nil {
		return loc
	}
	return time.UTC
}()

// DateInEngland is the date instant t falls on in England, as a UTC midnight.
func DateInEngland(t time.Time) time.Time { return dateOnly(t.In(england)) }
