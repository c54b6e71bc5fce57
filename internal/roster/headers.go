package roster

// headerNames are the column names each field is read from, most specific
// first, as SIMS, Arbor and Bromcom exports and hand-made spreadsheets name
// them. Case, spaces and punctuation do not matter ("Date of Birth" is
// "date_of_birth"). docs/roster-import.md lists them for schools; keep the
// two in step.
var headerNames = map[string][]string{
	// Pupils.
	"upn": {"UPN", "Unique Pupil Number", "Pupil UPN", "Student UPN"},
	"first_name": {"Legal Forename", "Legal First Name", "Legal Forenames", "Forename", "Forenames",
		"First Name", "Firstname", "Given Name", "Student First Name", "Pupil First Name"},
	"last_name": {"Legal Surname", "Legal Last Name", "Surname", "Last Name", "Lastname", "Family Name",
		"Student Surname", "Student Last Name", "Pupil Surname", "Pupil Last Name"},
	"preferred_first_name": {"Preferred Forename", "Preferred First Name", "Preferred Name", "Known As",
		"Chosen Forename", "Chosen First Name"},
	"preferred_last_name": {"Preferred Surname", "Preferred Last Name", "Chosen Surname", "Chosen Last Name"},
	"date_of_birth":       {"Date of Birth", "DOB", "Birth Date", "Birthdate", "D.O.B."},
	"year_group":          {"Year Group", "Year", "NC Year", "National Curriculum Year", "Curriculum Year", "Yr"},
	"registration_group": {"Registration Group", "Reg Group", "Registration Form", "Reg Form", "Form", "Form Group",
		"Tutor Group", "Tutor", "Registration Class", "Reg Class", "Class"},
	"send": {"SEND", "SEN", "SEN Status", "SEND Status", "SEN Provision", "Special Educational Needs"},
	"looked_after": {"Child Looked After", "Looked After", "Looked After Child", "CLA", "LAC", "In Care",
		"In LA Care"},
	"previously_looked_after": {"Previously Looked After", "Previously Looked After Child", "PLA", "PLAC",
		"Previously LAC", "Previously CLA", "Ever In Care"},
	"young_carer": {"Young Carer", "Carer"},
	"excluded":    {"Excluded", "Exclusion", "Excluded Pupil", "Currently Excluded"},

	// Staff.
	"email": {"Email", "E-mail", "Email Address", "E-mail Address", "Work Email", "Work E-mail",
		"School Email", "Staff Email"},
	"name": {"Name", "Full Name", "Staff Name", "Display Name"},
	"staff_first_name": {"Preferred Forename", "Preferred First Name", "Forename", "First Name", "Firstname",
		"Given Name", "Legal Forename"},
	"staff_last_name": {"Preferred Surname", "Surname", "Last Name", "Lastname", "Family Name", "Legal Surname"},
	"job_title":       {"Job Title", "Role Title", "Position", "Post", "Job"},
	"roles":           {"Roles", "Role", "Haven Roles", "Haven Role", "Access"},

	// Training records (the staff e-mail column is "email" above).
	"training_kind":     {"Type", "Training Type", "Training", "Course Type", "Kind", "Course"},
	"training_date":     {"Date", "Date Completed", "Completed", "Completed On", "Completion Date", "Training Date"},
	"training_provider": {"Provider", "Trainer", "Delivered By", "Training Provider"},
	"training_notes":    {"Notes", "Note", "Comments", "Comment"},
}
