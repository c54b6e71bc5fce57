package demo

import "github.com/havenapp/haven/internal/safeguarding"

// Agencies, shortened for the stories below.
const (
	cscs      = safeguarding.AgencyCSCS
	police    = safeguarding.AgencyPolice
	earlyHelp = safeguarding.AgencyEarlyHelp
	ceop      = safeguarding.AgencyCEOP
	nrm       = safeguarding.AgencyNRM
	prevent   = safeguarding.AgencyPrevent
	lado      = safeguarding.AgencyLADO
	another   = safeguarding.AgencyOtherAgent
)

// childStories are the kinds of concern staff log about children, one or
// more for every category, weighted roughly as a secondary school sees them.
// Every name is a placeholder and every event fictional.
func childStories() []story {
	return []story{
		{category: "cse", weight: 6, also: []string{"online_safety", "missing_education"}, minYear: 9, urgent: 0.1,
			accounts: []account{
				{what: "{name} has been collected from the front gates at the end of the day twice this week by a man who looks to be in his twenties, driving a dark hatchback. {name} seemed anxious when I asked who it was and said it was a friend of a cousin. {name} has had a new phone and new trainers in the last fortnight.",
					words: `"He's just a mate, he looks after me. You don't need to tell anyone."`, where: "Front gates",
					done:       "Noted the colour of the car and part of the registration. Told {name} I would need to pass this on.",
					indicators: []string{"vehicles", "older_person", "unexplained_gifts", "secretive"}},
				{what: "{name} has missed most Monday and Friday mornings this half term. When {name} does arrive, {name} is very tired and twice this week smelt of alcohol. Friends say {name} has been going to parties at a flat in town where the people are much older.",
					where: "Form room", indicators: []string{"absences", "alcohol_drugs", "missing", "exploited_peers"}},
				{what: "During the lesson messages kept arriving on {name}'s phone from a contact saved only as an emoji, saying 'come round later' and 'you owe me'. {name} turned the phone over quickly and became upset when I asked if everything was alright.",
					words: `"It's nothing, it's my boyfriend. He's nineteen, it's fine."`, where: "Classroom",
					indicators: []string{"older_partner", "internet_social_media", "secretive", "defensive"}},
				{what: "{name} has become withdrawn, has stopped coming to netball club and no longer sits with long-standing friends. {name} has been seen getting into different cars after school and is wearing an expensive new coat. When I asked about it {name} became hostile and walked out of the lesson.",
					where: "Sports hall and car park", indicators: []string{"withdrawn", "lack_relationships", "vehicles", "unexplained_gifts", "hostile"}},
				{what: "A friend of {name}'s came to me worried that {name} is seeing someone older, met through social media, who sends {name} money. The friend did not want to say more and asked that {name} not be told who had spoken to me.",
					where: "Library", told: "No one else", indicators: []string{"older_person", "unexplained_gifts", "internet_social_media"}},
				{what: "{name} would not change for PE, and when a sleeve rode up there was bruising on the forearm. {name} has told friends about staying over at an older friend's house where 'there are always loads of people'.",
					where: "Changing rooms", indicators: []string{"injuries", "concealing_marks", "refusing_uncover", "missing"}},
			},
			voices: []string{
				"Spoke with {name} in the pastoral office with the learning mentor present. {name} said the person is 'just someone who gets me' and became tearful when asked about the money. {name} does not want their mum to know because 'she'll stop me going out'. {name} agreed to see the learning mentor each morning.",
				"{name} was guarded at first, then said: \"I don't really want to go to those parties any more, but I don't know how to stop.\" {name} would like help but is frightened of getting people into trouble. We talked about what exploitation means and that none of this is {name}'s fault.",
				"{name} said school feels like 'the normal bit' and asked that only a few staff know. {name} wants to keep going to lessons as usual and agreed to come to me if anyone contacts {name} in a way that feels wrong.",
			},
			parents: []contact{
				{body: "Phoned {name}'s mother. She had also noticed the new phone and the late nights and was relieved school had called. Agreed to share information daily for the next two weeks.",
					judgement: "The concern is about a person outside the family; nothing suggests anyone at home is involved, and mother has acted protectively before."},
				{body: "Met {name}'s father and stepmother at school. They agreed to a curfew plan at home and to report any missing episode to the police straight away.",
					judgement: "The risk comes from outside the home; both parents are protective and CSCS agreed they should be told."},
			},
			responses: []response{
				{decision: "Refer to children's social care.", reason: "Several §5.2 indicators together (an older person, gifts, cars, time missing) suggest {name} is at risk of sexual exploitation. The threshold for a referral is met.",
					agency: cscs, referral: "Referral to the MASH by phone, followed by the online form. Shared the indicators staff have logged and what {name} has said.", tell: true,
					outcomes: []string{
						"Strategy discussion held with police and CSCS; a section 47 enquiry followed. {name} has an exploitation risk assessment and a safety plan: daily check-in with the learning mentor, collection from school monitored, absence followed up the same morning.",
						"CSCS completed a child and family assessment and {name} is supported under a child in need plan. The contact with the older person has stopped and {name} is engaging well with the mentor.",
					}},
				{decision: "Share the information about the car with the police.", reason: "The same car has been seen near school before; the information may protect {name} and others (§11.8).",
					agency: police, referral: "Passed the partial registration, description and times to the police exploitation team through the intelligence portal.", tell: true,
					outcomes: []string{"Police have recorded the intelligence and linked it to an existing operation. No further contact seen at the gates; {name} continues with weekly mentoring."}},
				{decision: "Support {name} in school and monitor closely; no referral yet.", reason: "Only one indicator so far and {name} has given a plausible account; review in two weeks or at once if anything further is logged.",
					tell: true, outcomes: supportedInSchool},
			}},
		{category: "cce", weight: 4, also: []string{"missing_education"}, minYear: 9, urgent: 0.1,
			accounts: []account{
				{what: "{name} was seen passing small packages to older teenagers outside the shop opposite school at lunchtime. {name} has two phones and has had unexplained absences on several Fridays.",
					words: `"I just do favours for some lads. They look after me."`, where: "Shop opposite the main entrance", indicators: []string{"gangs", "absences"}},
				{what: "{name} told me they had been 'sent up to Birmingham' at the weekend and had to stay in a flat. {name} has a cut to the hand and said they owe someone money because a bag was taken.",
					words: `"If I don't pay it back they said they know where I live."`, where: "Classroom", indicators: []string{"missing", "injuries", "gangs"}},
				{what: "{name} arrived late with a large amount of cash and a new designer bag. Friends say {name} is 'working' for someone. Family reported {name} missing overnight on Tuesday.",
					where: "Reception", indicators: []string{"unexplained_gifts", "missing"}},
				{what: "Police rang school: {name} was stopped in a car with older males twenty miles away during the school day. {name} was marked absent, ill.",
					where: "Off site", told: "Attendance officer"},
			},
			voices: []string{
				"{name} said they are scared of what will happen if they stop. \"If I don't go, they'll come round my house.\" {name} wants to get away from the group but does not want to be seen as 'grassing'.",
				"{name} would not talk about who the people are, but said they liked having money 'for once'. {name} agreed to meet the youth worker and said they would like to do more football after school.",
			},
			parents: []contact{
				{body: "Spoke with {name}'s mother by phone. She is very worried, has found cash in {name}'s room and has reported {name} missing twice. Agreed to share information and to meet with CSCS.",
					judgement: "Mother is protective and already working with the police; the risk is from outside the home."},
			},
			responses: []response{
				{decision: "Refer to CSCS as criminal exploitation and ask them, as first responder, to make an NRM referral.", reason: "The account fits county lines exploitation (§4.6): travel, debt, threats and cash. {name} is a child and cannot consent to this.",
					agency: cscs, referral: "Referral to the MASH setting out the concerns as child criminal exploitation.", tell: true,
					outcomes: []string{
						"Strategy discussion held; {name} discussed at the multi-agency exploitation panel. NRM referral made by CSCS. {name} has a youth worker and a safety plan.",
						"CSCS opened a child and family assessment and made an NRM referral; a positive reasonable grounds decision followed. {name}'s attendance has improved to 92% this half term.",
					}},
				{decision: "Make a National Referral Mechanism referral.", reason: "{name} is a child being exploited to move drugs; the NRM gives {name} access to specialist support.",
					agency: nrm, referral: "NRM referral completed with CSCS as first responder.", tell: true,
					outcomes: []string{"Positive reasonable grounds decision received. {name} is supported by the exploitation team and the school mentor."}},
				{decision: "Share intelligence with the police.", reason: "Other students may be at risk from the same group (§11.8).", agency: police,
					referral: "Intelligence about the meeting place and times shared with the neighbourhood policing team.", tell: true,
					outcomes: []string{"Police have increased patrols at the shop at lunchtime. {name} is attending and meets the mentor weekly."}},
			}},
		{category: "sexual_abuse", weight: 3, urgent: 0.2,
			accounts: []account{
				{what: "At the end of the lesson {name} told me that an adult family friend 'does things I don't like' when babysitting. I listened and did not ask leading questions.",
					words: `"He said it was our secret and I'd get in trouble."`, where: "Classroom, after the lesson",
					done: "Stayed with {name} until the DSL arrived. Did not contact home."},
				{what: "A friend reported that {name} had told them an older cousin touched {name} inappropriately at a family party last month.", where: "Corridor", told: "No one else"},
				{what: "A piece of {name}'s creative writing describes being made to do things by an adult 'when Mum is at work'. I have kept the exercise book in a sealed envelope for the DSL.",
					where: "English lesson"},
			},
			voices: []string{
				"{name} was supported by the learning mentor. {name} repeated what had been said in the lesson and asked what would happen next. I explained who I would need to tell and why. {name} said: \"I just want it to stop. I don't want everyone to know.\"",
				"{name} said they feel safest at school and with their grandmother. {name} asked not to go home tonight if the family friend is there.",
			},
			withhold: "The person named is close to the family. Telling parents now could put {name} at risk of pressure to retract and could affect a police investigation (§11.8, §11.15). CSCS agree.",
			responses: []response{
				{decision: "Refer to children's social care and the police today.", reason: "{name} has disclosed sexual abuse by an adult; this needs a strategy discussion and a joint investigation.",
					agency: cscs, referral: "Referral to the MASH with the disclosure in {name}'s own words. Police informed by CSCS as part of the strategy discussion.",
					outcomes: []string{
						"Joint police and CSCS investigation (section 47). {name} is supported by an ISVA and counselling through the sexual assault referral centre. School support: named trusted adult, quiet space at break.",
						"Strategy discussion held the same day; police are investigating and the adult has no contact with {name}. {name} is on a child protection plan; school is part of the core group.",
					}},
			}},
		{category: "physical_abuse", weight: 6, also: []string{"domestic_abuse"}, urgent: 0.08,
			accounts: []account{
				{what: "{name} has a bruise on the upper arm that looks like a grip mark, seen when changing for PE. {name} said it happened play fighting with a brother but would not look at me.",
					where: "Changing rooms"},
				{what: "{name} came in with a red mark on the cheek. When I asked, {name} said a parent lost their temper last night over the washing up.",
					words: `"Dad lost it because I didn't do the washing up. It doesn't hurt now."`, where: "Form room"},
				{what: "{name} was limping and said they fell down the stairs. This is the third injury this term with a similar explanation.", where: "Corridor"},
				{what: "{name} flinched when I raised my hand to point at the board, and later said they get 'a slap' at home when reports are bad.",
					words: `"Please don't send my report home yet."`, where: "Classroom"},
			},
			voices: []string{
				"{name} repeated the account and said it has happened 'a few times'. {name} loves home and does not want anyone to get into trouble, but would like the shouting to stop.",
				"{name} said they are alright and did not want to talk about it. {name} knows they can come to me or the Head of Year at any time.",
			},
			parents: []contact{
				{body: "Spoke with {name}'s mother, who explained the injury happened at football on Saturday and sent a photo from the match. She was open and appreciated the call.",
					judgement: "The injury has a plausible explanation and there is no suggestion a parent caused it."},
			},
			withhold: "{name} says a parent caused the injury. Telling them before CSCS advise could put {name} at risk (§11.15).",
			responses: []response{
				{decision: "Refer to children's social care today.", reason: "An injury {name} says a parent caused meets the threshold for a referral; CSCS may arrange a medical.",
					agency: cscs, referral: "Referral to the MASH by phone. Body map completed and shared with CSCS. Asked for advice before {name} goes home.",
					outcomes: []string{
						"Strategy discussion and section 47 enquiry; {name} had a child protection medical. The family are working with a social worker under a child in need plan.",
						"CSCS visited the same evening. Assessment completed; the family accepted parenting support and CSCS closed to early help.",
					}},
				{decision: "Offer early help to the family.", reason: "A single minor injury with a plausible explanation; the family are struggling and would benefit from support.",
					agency: earlyHelp, referral: "Early help assessment started with the family's consent.", tell: true,
					outcomes: []string{"Early help plan agreed: a family support worker is visiting weekly. Team around the family review in six weeks."}},
				{decision: "Record and monitor; no referral.", reason: "Plausible explanation, confirmed by a parent; no earlier concerns.", tell: true, outcomes: supportedInSchool},
			}},
		{category: "emotional_abuse", weight: 9,
			accounts: []account{
				{what: "{name} told me a step-parent calls {name} 'useless' and 'a waste of space' in front of the family and that {name} is not allowed to eat with everyone.",
					words: `"He says nobody would want me. I believe him sometimes."`, where: "Pastoral office"},
				{what: "At parents' evening {name}'s parent belittled {name} in front of me over and over; {name} sat silently and was crying in the corridor afterwards.", where: "Main hall, parents' evening"},
				{what: "{name} is very anxious about any mark below full marks and said they will be 'locked in my room all weekend' if the test result goes home.",
					words: `"Can you just not put the mark on the system?"`, where: "Classroom"},
			},
			voices: []string{
				"{name} said home is 'fine most of the time' but they dread weekends. {name} would like someone to talk to at school and agreed to weekly sessions with the counsellor.",
				"{name} was quiet but said it helped to have told someone. {name} wants things to be calmer at home and would be happy for a worker to visit.",
			},
			parents: []contact{
				{body: "Met {name}'s mother. She recognised the pressure at home and said she would welcome some support for the family.",
					judgement: "Mother is not the source of the concern and is protective; {name} agreed to her being told."},
			},
			responses: []response{
				{decision: "Refer to children's social care.", reason: "Persistent belittling and exclusion at home over a long period are affecting {name}'s well-being; the threshold is met.",
					agency: cscs, referral: "Referral to the MASH setting out what staff have seen and heard over the term.", tell: true,
					outcomes: []string{"CSCS completed an assessment; the family have a child in need plan and the step-parent is attending a parenting programme."}},
				{decision: "Offer early help.", reason: "The family are open to support and the concern is below the threshold for CSCS.",
					agency: earlyHelp, referral: "Early help assessment completed with mother and {name}.", tell: true,
					outcomes: []string{"Early help plan in place; family support worker visiting. {name} reports that home is calmer."}},
				{decision: "Support {name} in school.", reason: "First concern; {name} has trusted adults and wants help in school first.", tell: true, outcomes: supportedInSchool},
			}},
		{category: "neglect", weight: 11, also: []string{"other"},
			accounts: []account{
				{what: "{name} has worn the same uniform all week, which is dirty and too small, and has told friends there is no food at home. {name} ate two breakfasts at breakfast club and took fruit for a younger sibling.", where: "Breakfast club"},
				{what: "{name} has had toothache for several weeks and said nobody has booked a dentist. {name} is often late because {name} walks younger brothers and sisters to primary school.", where: "Form room"},
				{what: "{name} said they were home alone all weekend while their mum stayed with a boyfriend, and that they looked after the younger ones.",
					words: `"It's fine, I'm used to it. I can do beans on toast."`, where: "Classroom"},
				{what: "{name}'s glasses have been broken since September and {name} cannot see the board. Letters home have had no reply.", where: "Classroom"},
			},
			voices: []string{
				"{name} said things at home are 'a bit rubbish at the moment' because mum is not well. {name} would like help but worries about being taken away. I explained what help can look like.",
				"{name} was pleased to be asked and said a breakfast every day 'would be good'. {name} would like to keep going to homework club.",
			},
			parents: []contact{
				{body: "Home visit with the attendance officer. Mum was open about struggling since losing her job and welcomed help with food and uniform.",
					judgement: "Neglect concerns are about the family's circumstances; working with the parent is how to help, and telling her does not increase the risk to {name}."},
				{body: "Phoned {name}'s father, who agreed to book a dentist and optician this week and asked about help with costs.",
					judgement: "Father is engaged and the concern is about care, not harm by a parent; {name} was happy for him to be called."},
			},
			responses: []response{
				{decision: "Refer to children's social care.", reason: "Neglect over time across food, clothing, health and supervision; early help has not brought change.",
					agency: cscs, referral: "Referral to the MASH with the attendance record and staff observations since September.", tell: true,
					outcomes: []string{"CSCS assessment completed; {name} and siblings are on a child in need plan. Food bank referral and uniform provided by school."}},
				{decision: "Start an early help assessment.", reason: "The family need practical support and are willing to accept it.",
					agency: earlyHelp, referral: "Early help assessment started; family support worker allocated.", tell: true,
					outcomes: []string{"Early help plan: food vouchers, uniform from the pre-loved shop, dentist booked. Review shows clear improvement."}},
				{decision: "Practical support from school.", reason: "A single issue the parent has agreed to sort out.", tell: true, outcomes: supportedInSchool},
			}},
		{category: "child_on_child", weight: 10, also: []string{"online_safety"}, withOther: true,
			accounts: []account{
				{what: "{name} reported that {other} and a group of friends have been pushing {name} in the corridor and taking {name}'s lunch money most days this week.",
					words: `"I don't want to come in any more. They wait for me by the lockers."`, where: "Science corridor",
					otherWords: `"We were only messing about. I gave the money back."`},
				{what: "{name} said that {other} grabbed {name} over clothing in the lunch queue and laughed about it with friends. {name} was upset and asked to go home.",
					words: `"Everyone saw and they all laughed. I told him to stop."`, where: "Dining hall",
					otherWords: `"It was a joke. Everyone does it."`},
				{what: "A group chat set up by {other} has been used to post unkind comments about {name}'s appearance. {name} showed me the messages; I did not take copies.", where: "Online, outside school"},
				{what: "Fight on the field at lunchtime: {other} hit {name} twice and {name} has a swollen lip. Witnesses say it was arranged in advance.", where: "Playing field",
					words: `"I didn't even hit back."`, otherWords: `"He started it online last night."`},
			},
			voices: []string{
				"{name} said they want it to stop but don't want {other} to know they told. {name} agreed to a plan: a safe place at break and a different route between lessons.",
				"{name} feels safer now staff know. {name} would like to stay in the same classes but not sit near {other}.",
			},
			parents: []contact{
				{body: "Phoned both families. {name}'s parents were upset but supportive of the plan; {other}'s parent will meet the Head of Year.",
					judgement: "Both families are protective; telling them is part of keeping both children safe and the risk is in school, not at home."},
			},
			responses: []response{
				{decision: "Report to the police and make a safety plan for both children.", reason: "The behaviour may be a sexual assault; police must be told, and both children need support (§11.10: school will not wait for an investigation).",
					agency: police, referral: "Reported to the police by 101 with the account of {name} and two witnesses.", tell: true,
					outcomes: []string{"Police spoke to both children and their families and gave {other} a community resolution. Safety plan in place; no further incidents."}},
				{decision: "Manage in school under the behaviour policy with a safety plan for {name}.", reason: "Bullying, not meeting the threshold for police or CSCS; both children need support.",
					tell: true, outcomes: []string{
						"{other} was sanctioned and completed restorative work. {name} reports feeling safe; no further incidents in four weeks.",
						"Restorative meeting held with both children's agreement. Monitored for a half term with no repeat.",
					}},
			}},
		{category: "nudes", weight: 5, also: []string{"online_safety", "child_on_child"}, minYear: 8, urgent: 0.05,
			accounts: []account{
				{what: "{name} told me that a semi-nude image sent to a boyfriend has been shared around a group chat. {name} is very distressed. I have not looked at or asked for the image.",
					words: `"I only sent it to him. Now everyone's got it."`, where: "Pastoral office",
					done: "Did not view, copy or forward any image. Told {name} not to delete anything yet and to speak to the DSL."},
				{what: "I overheard pupils talking about a picture of {name} 'going round'. I have not seen any image and told the pupils not to show or forward it.", where: "Corridor"},
				{what: "{name} said someone online, thought to be a girl their age, asked for pictures and is now threatening to send the ones {name} sent to friends unless {name} pays money.",
					words: `"They said they'll send it to everyone by tonight."`, where: "Classroom"},
			},
			voices: []string{
				"{name} was embarrassed but relieved to have told someone. {name} wants the image removed and does not want it discussed in class. We went through Report Remove together.",
				"{name} said they felt pressured into it. {name} wants their parents told by school rather than finding out from others.",
			},
			parents: []contact{
				{body: "Spoke with {name}'s parents with {name}'s agreement. They were shocked but supportive and will help {name} use Report Remove.",
					judgement: "There is nothing to suggest telling parents would put {name} at risk; UKCIS guidance is to involve them unless it would."},
			},
			responses: []response{
				{decision: "Report to the police and CEOP.", reason: "This is sextortion by an adult or an unknown person online; it must be reported to the police (§8.2).",
					agency: ceop, referral: "Report made to CEOP online with {name}; police informed by phone.", tell: true,
					outcomes: []string{"Police and CEOP took the report; the account was removed. {name} used Report Remove and has support from the school counsellor."}},
				{decision: "Manage in school under the UKCIS guidance, without police involvement.", reason: "Images shared between pupils of a similar age, with no adult involved, no coercion and no aggravating features.",
					tell: true, outcomes: []string{
						"Images deleted by the pupils involved, with parents present. {name} used Report Remove. Education session for the year group on sharing images.",
						"Handled in school: the pupils who shared the image were sanctioned and their parents told. {name} is well supported.",
					}},
			}},
		{category: "online_safety", weight: 7,
			accounts: []account{
				{what: "{name} has been talking to an adult on an online game who has asked for {name}'s address and wants to talk on a private app.",
					words: `"He's really nice, he gives me skins for free."`, where: "Computing lesson"},
				{what: "{name} says they are on their phone until 3am most nights, is falling asleep in lessons, and has been watching violent videos that have upset them.", where: "Form room"},
				{what: "{name} has been added to a group chat where people share dangerous 'challenges'; one involves holding your breath until you pass out.", where: "Online, outside school"},
			},
			voices: []string{
				"{name} had not realised the person might not be who they said. {name} agreed to block and report the account and to show a parent the messages.",
				"{name} said they find it hard to stop scrolling and would like help. We agreed some steps together, including the phone charging downstairs at night.",
			},
			parents: []contact{
				{body: "Phoned {name}'s parent and explained the concern; they will check the privacy settings and parental controls tonight.",
					judgement: "The risk is from outside the home and the parent is supportive."},
			},
			responses: []response{
				{decision: "Report the adult to CEOP.", reason: "An adult asking a child for their address and private contact is grooming behaviour.",
					agency: ceop, referral: "CEOP report made with {name} and a parent present.", tell: true,
					outcomes: []string{"CEOP passed the report to the police online child abuse team; the account was removed. {name} and family had online safety advice."}},
				{decision: "Online safety advice for {name} and family.", reason: "No adult contact and no harm so far; advice and a conversation with home are proportionate.",
					tell: true, outcomes: supportedInSchool},
			}},
		{category: "radicalisation", weight: 2, minYear: 8,
			accounts: []account{
				{what: "{name} has been repeating extreme views about a religious group in class and said they watch an online channel that 'tells the truth'. {name} drew a symbol associated with a far-right group in an exercise book.", where: "History lesson"},
				{what: "{name} has told friends they want to travel abroad to 'join the fight' and has pulled away from their friends.", where: "Reported by a friend"},
				{what: "In a citizenship lesson {name} said people of a certain background 'should be got rid of', and has shared a link to an extremist forum with other pupils.", where: "Citizenship lesson"},
			},
			voices: []string{
				"{name} said they are angry about things they see online and feel nobody listens. {name} agreed to meet the Prevent lead's mentor and wants to talk about it 'properly, not get told off'.",
				"{name} was surprised the comments had caused concern and said they 'didn't really mean it'. We talked about where the ideas came from.",
			},
			parents: []contact{
				{body: "Met {name}'s parents. They were worried too and had noticed {name} spending long hours online; they supported a Prevent referral.",
					judgement: "Parents are not the source of the views and are supportive; the Prevent officer advised informing them."},
			},
			responses: []response{
				{decision: "Refer to Prevent.", reason: "Expressed support for violence and contact with extremist material indicate a risk of radicalisation.",
					agency: prevent, referral: "Prevent referral form completed and sent; call with the Prevent officer the same day.", tell: true,
					outcomes: []string{
						"Prevent reviewed the referral and the Channel panel offered support; {name} is working with a mentor.",
						"Prevent decided the referral did not meet the threshold for Channel. School continues with PSHE work and monitoring.",
					}},
				{decision: "Address in school through PSHE and a conversation with {name}; no referral.", reason: "An isolated remark without contact with extremist material; Prevent duty guidance supports a school response first.",
					tell: true, outcomes: supportedInSchool},
			}},
		{category: "fgm", weight: 1, minYear: 7, urgent: 0.3,
			accounts: []account{
				{what: "{name} said the family is going abroad for a long summer holiday for a special ceremony 'to become a woman', and that an older sister 'had it done'.", where: "Classroom"},
				{what: "Since returning from an extended trip abroad, {name} has missed PE for several weeks, spends a long time in the toilet and seems uncomfortable sitting down.", where: "PE department"},
			},
			voices: []string{
				"{name} talked about the holiday with excitement and did not know what the ceremony involves. {name} knows they can talk to me or the school nurse at any time.",
			},
			withhold: "Discussing FGM with the family before the police and CSCS advise could put {name} at risk of being taken abroad early (§11.15).",
			responses: []response{
				{decision: "Refer to children's social care and the police.", reason: "A risk of FGM is a child protection matter; the police lead on it and CSCS must assess.",
					agency: cscs, referral: "Referral to the MASH; police FGM lead informed. Asked about a protection order.",
					outcomes: []string{
						"Strategy discussion held; an FGM protection order was made and the family were seen together by police and CSCS. {name} remains in school and is supported.",
						"CSCS and police saw the family; no FGM has occurred. The family understand the law and the trip was cancelled. CSCS closed with advice.",
					}},
			}},
		{category: "domestic_abuse", weight: 8, also: []string{"emotional_abuse"}, urgent: 0.04,
			accounts: []account{
				{what: "{name} said they did not sleep because their parents were shouting and a parent smashed a door. {name} looked after a younger brother upstairs.",
					words: `"I had to look after my little brother upstairs. I put my headphones on him."`, where: "Form room"},
				{what: "{name}'s mother told reception she is moving to a refuge with the children and asked that no information be given to {name}'s father.", where: "Reception"},
				{what: "{name} was upset in the lesson and said a parent's partner 'goes mad' when drinking. {name} is worried about their mum.", where: "Classroom"},
			},
			voices: []string{
				"{name} said it is scary when the shouting starts and they go to their room. {name} wants mum to be safe and would like to talk to someone at school each week.",
				"{name} was relieved to be asked. {name} said things are quieter this week and wants to keep coming to the lunchtime club.",
			},
			parents: []contact{
				{body: "Spoke with {name}'s mother privately when she was on her own. She is in touch with the domestic abuse service and welcomed school's support.",
					judgement: "Spoke only with the non-abusive parent, at a time and place she chose; the person causing harm was not told."},
			},
			responses: []response{
				{decision: "Refer to children's social care.", reason: "Repeated incidents of domestic abuse with {name} present; {name} is a victim in their own right.",
					agency: cscs, referral: "Referral to the MASH with the notifications received this term.", tell: true,
					outcomes: []string{"CSCS assessment completed; mother is supported by an IDVA and the case was heard at MARAC. {name} has weekly sessions with the learning mentor."}},
				{decision: "Offer early help and in-school support.", reason: "The family are working with the domestic abuse service; {name} needs support in school.",
					agency: earlyHelp, referral: "Early help assessment with mother's consent.", tell: true,
					outcomes: []string{"Early help plan in place alongside the domestic abuse service. {name} is settled and attending well."}},
			}},
		{category: "domestic_abuse", weight: 3, byLead: true,
			accounts: []account{
				{what: "Operation Encompass notification from the police: officers attended {name}'s home last night after a domestic incident. {name} was present.", where: "Home",
					done: "Passed to the form tutor on a need-to-know basis so that {name} is met kindly this morning."},
				{what: "Operation Encompass notification: police were called to {name}'s address at the weekend; {name} was at home but not injured.", where: "Home"},
			},
			voices: []string{
				"Checked in with {name} at registration. {name} said: \"I'm alright. I'd rather be here than at home today.\" {name} knows where to find me.",
			},
			parents: []contact{
				{body: "Phoned {name}'s mother when she was alone. She said she has support from a domestic abuse worker and thanked school for checking on {name}.",
					judgement: "Contact with the non-abusive parent only, on her own phone, as the police advised."},
			},
			responses: []response{
				{decision: "Support {name} in school; no further referral.", reason: "The police have referred to CSCS already; school's part is to support {name} during the day.",
					tell: true, outcomes: []string{"{name} has been offered weekly check-ins. No further notifications this half term."}},
				{decision: "Refer to early help.", reason: "This is the third notification this year; the family may benefit from support.",
					agency: earlyHelp, referral: "Early help request with mother's consent.", tell: true,
					outcomes: []string{"Family support worker allocated; mother engaging with the domestic abuse service."}},
			}},
		{category: "missing_education", weight: 4,
			accounts: []account{
				{what: "{name} has not attended for ten school days and the family cannot be contacted. A home visit found the house apparently empty.", where: "Home visit"},
				{what: "{name}'s parent said they will home educate but has not written to the school, and {name} has been absent since.", where: "Phone call"},
				{what: "{name} did not return after the holiday; the family are said to have moved abroad, but nothing is confirmed.", where: "Attendance office"},
			},
			parents: []contact{
				{body: "Finally reached {name}'s father by phone; he confirmed the family have moved to another county and gave the new address.",
					judgement: "No safeguarding concern about the family; the concern was {name}'s whereabouts."},
			},
			responses: []response{
				{decision: "Refer to the children missing education officer and ask the police for a welfare check.", reason: "{name} cannot be found; statutory guidance requires the local authority to be told.",
					agency: another, other: "Children missing education officer", referral: "Referral to the children missing education team with the attendance record and contact attempts.",
					tell: true, outcomes: []string{
						"CME officer traced {name} to a school in another authority; the child protection file was not needed and the pupil record was transferred.",
						"Police welfare check found the family at a relative's address. {name} returned to school the following week.",
					}},
			}},
		{category: "self_harm", weight: 17, also: []string{"emotional_abuse"}, urgent: 0.05,
			accounts: []account{
				{what: "{name} had cuts on the forearm, seen in science when sleeves were rolled up. {name} said they 'needed to feel something' and asked me not to tell anyone.",
					words: `"Please don't tell my mum, she's got enough going on."`, where: "Science lab"},
				{what: "{name} wrote in a piece of work that they 'don't see the point in anything' and want to 'go to sleep and not wake up'.", where: "English lesson"},
				{what: "{name} has stopped eating at lunchtime and friends say {name} is making themselves sick. {name} has lost a noticeable amount of weight.", where: "Dining hall"},
				{what: "{name} has had three panic attacks in lessons this week and is refusing to come out of the toilets at break.", where: "Girls' toilets, main block"},
				{what: "{name} told a friend they have been thinking about ending their life and have a plan. The friend came straight to me.",
					words: `"I just don't want to be here any more."`, where: "Corridor", done: "Stayed with {name} and called the DSL to come at once."},
			},
			voices: []string{
				"{name} said the self-harm started in the summer and helps 'when my head is too loud'. {name} agreed to a safety plan and to seeing the counsellor, and asked that home be told by me.",
				"{name} said exams and friendships have felt overwhelming. {name} would like fewer people to know and a quiet place to go at break.",
				"{name} talked about feeling low for a long time. {name} wants help and agreed that we would call home together.",
			},
			parents: []contact{
				{body: "Called {name}'s mother with {name} present. She was upset but supportive and will take {name} to the GP this week.",
					judgement: "{name} agreed to mum being told and there is no suggestion the difficulties come from home."},
				{body: "Met {name}'s parents at the end of the day to agree the safety plan and how to keep medication and blades safe at home.",
					judgement: "The parents are protective and central to keeping {name} safe; nothing suggests telling them increases the risk."},
			},
			responses: []response{
				{decision: "Refer to CAMHS urgently.", reason: "{name} has talked about ending their life and has a plan; this needs a same-day mental health assessment.",
					agency: another, other: "CAMHS crisis team", referral: "Phoned the CAMHS crisis line; {name} was seen the same day with a parent.", tell: true,
					outcomes: []string{"CAMHS assessed {name} and put a care plan in place; {name} has weekly appointments and a school safety plan. Attending well."}},
				{decision: "Refer to CAMHS.", reason: "Ongoing self-harm and low mood that school support alone is not meeting.",
					agency: another, other: "CAMHS", referral: "CAMHS referral made with the GP's support.", tell: true,
					outcomes: []string{
						"CAMHS accepted the referral; {name} has an initial appointment and school is following their advice.",
						"CAMHS signposted to the school counsellor and an online service. School is continuing weekly sessions.",
					}},
				{decision: "Support in school with a safety plan and the counsellor.", reason: "Low risk on assessment; {name} is engaging and parents are supportive.",
					tell: true, outcomes: supportedInSchool},
			}},
		{category: "other", weight: 6,
			accounts: []account{
				{what: "{name} is a young carer for a parent with MS and has been missing homework and falling asleep in lessons.", where: "Form room"},
				{what: "{name} is worried about an older brother who has been taking drugs at home and leaving things in the bathroom.",
					words: `"I don't want my little sister to find them."`, where: "Pastoral office"},
				{what: "A member of the public rang to say {name} was seen smoking cannabis with older teenagers in the park during school hours.", where: "Memorial park"},
				{what: "{name} has been living with a family friend for three months while mum is abroad; this has not been notified to the local authority as private fostering.", where: "Form room"},
			},
			voices: []string{
				"{name} said they are proud to help at home but tired. {name} would like to go to the young carers group.",
				"{name} talked openly and asked for help with the things they are worried about.",
			},
			parents: []contact{
				{body: "Spoke with {name}'s parent, who welcomed a referral for support.",
					judgement: "The concern does not arise from the parent's care and {name} agreed they should be told."},
			},
			responses: []response{
				{decision: "Notify children's social care.", reason: "The arrangement is private fostering (or otherwise needs a CSCS assessment).",
					agency: cscs, referral: "Notification to the MASH with the carer's details.", tell: true,
					outcomes: []string{"CSCS assessed the arrangement and will visit regularly. {name} is settled."}},
				{decision: "Refer to the young carers service.", reason: "{name} is a young carer and would benefit from support and respite.",
					agency: another, other: "Young carers service", referral: "Referral to the young carers service with {name}'s agreement.", tell: true,
					outcomes: []string{"{name} attends the young carers group fortnightly; homework club arranged."}},
				{decision: "Support in school.", reason: "Advice and pastoral support are proportionate.", tell: true, outcomes: supportedInSchool},
			}},
	}
}
