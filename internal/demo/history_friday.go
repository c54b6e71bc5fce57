package demo

import (
	"time"

	"github.com/havenapp/haven/internal/safeguarding"
)

// referredOnFriday is the child referred on the last Friday before today,
// whose response from children's social care is due on the Monday after,
// or the Tuesday when that Monday is a bank holiday (policy §11.9).
var referredOnFriday = pupilPick{year: 8, n: 17}

// caseReferredOnFriday is a concern logged on the last Friday before today
// and referred that afternoon, with no response from the agency yet and no
// feedback to the member of staff: the Due view, the queue and the child's
// page show both deadlines. It is planned after the rest, so it draws
// nothing the rest of the history depends on.
func (p *planner) caseReferredOnFriday() {
	friday := time.Date(p.now.Year(), p.now.Month(), p.now.Day(), 0, 0, 0, 0, p.loc).AddDate(0, 0, -1)
	for friday.Weekday() != time.Friday {
		friday = friday.AddDate(0, 0, -1)
	}
	at := friday.Add(10*time.Hour + 40*time.Minute)
	c := p.childCase(at, "staff05@demo.test", referredOnFriday, []string{"physical_abuse", "neglect"}, nil, account{
		what:  "{name} came in with a bruise on the cheek and a cut lip. {name} said an adult at home 'lost it' last night because {name} had not done the washing up, and that it happens when he drinks.",
		words: `"Please don't tell him I told you. He'll go mad."`, where: "Form room, registration"}, false)
	tl := p.timeline(&c)
	tl.until(friday.Add(11*time.Hour+5*time.Minute)).add(dslEmail, entry(safeguarding.EntryAcknowledged, ""))
	tl.wait(2*minute, 10*minute).add(dslEmail, moved(safeguarding.StatusInProgress))
	tl.until(friday.Add(13*time.Hour+30*time.Minute)).add(dslEmail, entry(safeguarding.EntryConversationChild,
		"{name} said the adult is mum's partner, who moved in over the summer. {name} is frightened to go home tonight and would like to stay with their aunt."))
	tl.wait(10*minute, 20*minute).add(dslEmail, decided("Refer to children's social care this afternoon and ask that {name} does not go home until they have spoken to the family.",
		"A visible injury from an adult in the home, with {name} saying it happens when he drinks and being frightened to go home, is a child protection concern (§11.5)."))
	tl.until(friday.Add(15*time.Hour+30*time.Minute)).referred(dslEmail, cscs, "", "Referral to the MASH by phone and online form: the injury, what {name} said, and that {name} is frightened to go home.")
	p.concerns = append(p.concerns, c)
}
