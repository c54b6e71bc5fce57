package main

import "github.com/havenapp/haven/internal/safeguarding"

// The words of the dataset: invented, varied enough that rows differ in
// length the way real records do.

var firstNames = []string{"Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Leo",
	"Freya", "Oscar", "Lily", "Harry", "Florence", "Muhammad", "Willow", "Jack", "Rosie", "Charlie",
	"Sophia", "Freddie", "Grace", "Alfie", "Evie", "Theodore", "Poppy", "Thomas", "Ella", "Jacob",
	"Aisha", "Kai", "Zara", "Ibrahim", "Maya", "Yusuf", "Chloe", "Reuben", "Priya", "Tomasz",
	"Hannah", "Samuel", "Layla", "Finley", "Ruby", "Elijah", "Sienna", "Henry", "Nia", "Adam"}

var lastNames = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
	"Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
	"Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
	"Khan", "Ahmed", "Nowak", "Okafor", "Begum", "Murphy", "O'Brien", "Kowalski", "Singh", "Ali",
	"Baker", "Price", "Bennett", "Mensah", "Lewis", "Mitchell", "Kaur", "Campbell", "Shaw", "Lee"}

var adultRoles = []string{"Visitor", "Contractor", "Volunteer", "Supply teacher", "Sports coach", "Parent helper"}

var adultCategories = []string{"physical_abuse", "emotional_abuse", "sexual_abuse", "other"}

var childAgencies = []safeguarding.Agency{safeguarding.AgencyCSCS, safeguarding.AgencyCSCS, safeguarding.AgencyPolice,
	safeguarding.AgencyEarlyHelp, safeguarding.AgencyEarlyHelp, safeguarding.AgencyCEOP, safeguarding.AgencyNRM, safeguarding.AgencyPrevent}

var whatHappened = []string{
	"During registration the pupil seemed withdrawn and would not make eye contact with anyone.",
	"The pupil arrived late again and said they had not slept at home last night.",
	"I noticed bruising on the pupil's upper arm when they rolled up their sleeves in science.",
	"A friend told me the pupil has been receiving messages from someone much older online.",
	"The pupil was seen getting into a car driven by an adult none of us recognised, near the school gates at the end of the day.",
	"They had a new phone and expensive trainers and would not say where they came from.",
	"In PE the pupil refused to change and became very upset when asked why.",
	"The pupil disclosed that there is a lot of shouting at home and that they are frightened when their parent drinks.",
	"They have missed eleven sessions in the last three weeks, mostly on Mondays and Fridays.",
	"Another pupil showed me an image on their phone that had been shared in a group chat; I did not look at it closely and did not take the phone.",
	"The pupil said they do not want to go home because of an older cousin who has moved in.",
	"Their behaviour has changed a great deal this half term: they are angry, tired and have stopped handing in work.",
	"The pupil told me they had been asked to carry a package to another town for some older boys.",
	"They seemed hungry and asked for food from other pupils at break on several days this week.",
	"The pupil has scratches on their forearms which they tried to hide with their sleeves.",
	"I overheard the pupil telling a friend they had been to a party with adults and could not remember getting home.",
	"The pupil's clothes have been unwashed for a week and they said the heating at home is off.",
	"They have been searching for extremist material on a school computer, according to the filtering report.",
	"The pupil was found crying in the toilets and said that someone had threatened to share pictures of them.",
	"A parent rang to say their child had been hit by another pupil on the bus and was scared to come in.",
	"The pupil said a member of staff at their club had asked them to keep a secret.",
	"They disclosed that they are looking after younger siblings most evenings and do not get to do homework.",
	"The pupil is going to a family wedding abroad in the summer and became anxious when other pupils asked about it.",
	"The pupil has not been seen in school for two weeks and the family have not answered calls.",
}

var childsWords = []string{
	"\"I don't want to go home tonight.\"",
	"\"He said if I told anyone he would send the pictures to everyone.\"",
	"\"It's fine, I just fell over, it's nothing.\"",
	"\"My mum's boyfriend gets really angry when he's been drinking.\"",
	"\"They give me stuff and I just have to drop things off, it's easy money.\"",
	"\"I'm not allowed to say where I was.\"",
	"\"Please don't tell my dad.\"",
	"\"Nobody listens anyway so what's the point.\"",
	"\"He's my boyfriend, he's 22, he looks after me.\"",
}

var locations = []string{"Classroom", "Corridor by the science block", "Playground", "School gates", "Sports hall changing rooms",
	"Library", "On the school bus", "Online", "Canteen", "Form room", "Off site, reported by the pupil"}

var othersTold = []string{"The form tutor", "Head of year", "No one yet", "The SENCO", "The pupil's teaching assistant", "Reception staff"}

var actionsTaken = []string{"Listened, did not ask leading questions, told the pupil I would pass it on to the DSL.",
	"Reassured the pupil and walked them to the pastoral office.", "Nothing yet beyond logging this concern.",
	"Checked the pupil was safe to go to their next lesson and told the head of year."}

var furtherInformation = []string{"The pupil mentioned it again today at lunch and seemed more upset.",
	"I have since heard from another member of staff that this has happened before.",
	"The pupil has been absent since I logged this concern.",
	"The pupil's friend came to see me and said they are worried too."}

var actions = []string{"Checked attendance records for the last term and shared them with the head of year.",
	"Spoke to the form tutor and asked them to keep a close eye on the pupil this week.",
	"Arranged for the pupil to have a daily check-in with the learning mentor.",
	"Requested information from the previous school.",
	"Added the pupil to the agenda for the next pastoral meeting.",
	"Made sure the pupil has breakfast club each morning this week.",
	"Asked the IT team for the filtering logs for the past month."}

var conversations = []string{"Spoke with the pupil in the quiet room. They said they feel safe at school but not always at home. They would like their teacher to know but not their friends.",
	"The pupil said they are fine and did not want to talk today. Offered another time; they agreed to Thursday.",
	"The pupil told me more about the older friends. They said they do not feel they can stop seeing them. Their wish is to keep going to football club.",
	"We talked about what happened on the bus. The pupil would like to sit near the driver from now on."}

var parentContacts = []string{"Rang the pupil's mother and discussed the attendance pattern. She was supportive and agreed to a meeting.",
	"Met both parents after school. They were unaware of the online contact and have taken the phone for now.",
	"Spoke to the father by phone; he said the bruising came from a football match at the weekend."}

var judgements = []string{"The concern is not about the parents and nothing suggests telling them would put the child at risk.",
	"The child agreed to their parents being told and there is no indication of harm at home."}

var decisions = []string{"Monitor for four weeks and review.", "Refer to children's social care.", "Offer early help assessment.",
	"No further action beyond monitoring.", "Hold a strategy discussion with the police."}

var reasons = []string{"The threshold for a referral is not met on what we know now, but the pattern needs watching.",
	"There is a risk of significant harm given the disclosure and the older adult involved.",
	"The family have asked for support and the needs are below the social care threshold.",
	"Several indicators from different staff within a month."}

var referralNotes = []string{"Referred by phone, followed up in writing the same day.", "Online referral submitted; acknowledgement received.",
	"Referral made after consultation with the duty social worker."}

var feedback = []string{"Thank you for passing this on. We have taken action and are supporting the pupil.",
	"Thank you. This has been dealt with; please keep letting us know if you notice anything else."}

var outcomes = []string{"Support in place through early help; the pupil is settled and attendance has improved.",
	"Social care assessment completed; no further action from them, school monitoring ended after six weeks.",
	"Police investigation concluded. Pupil supported by the pastoral team.",
	"Concern resolved with the family; no further action needed.",
	"Allegation investigated with the LADO and found to be unsubstantiated."}

var reopenReasons = []string{"New information from the pupil's friend suggests the contact has started again.",
	"The pupil has been absent again for several days and the pattern has returned."}

var corrections = []string{"The date of the conversation was Tuesday, not Monday.", "The referral was to early help, not to social care."}
