"""Synthetic free text for the demo data set: no real person, place or case is described."""

# Two entries carry personal data on purpose, as staff sometimes write it: the published report
# must show them redacted ([name], [phone], [email]); tests/publish scans the site for these markers.
PERSONAL_DATA_MARKERS = ("Jayden", "07700 900456", "Amelia Hart", "amelia.hart@example.org")

LEARNING_CHILDREN = [
    (
        "Jayden's foster carer was not told about the change of school transport.",
        "Team manager apologised to the carer and gave a direct contact number, 07700 900456.",
    ),
    (
        "The social worker sent Amelia Hart's assessment to the wrong email address.",
        "Data protection team informed; staff reminded to check addresses (amelia.hart@example.org).",
    ),
    (
        "Parents were not told in writing what had been agreed at the review meeting.",
        "Team manager reminded social workers to send a written summary within five working days of every meeting.",
    ),
    (
        "The family were not given the duty team's contact details when their worker was on leave.",
        "Out-of-office messages now give the duty number; the team leaflet has been updated.",
    ),
    (
        "An assessment was shared before the parent had the chance to correct factual errors.",
        "Draft assessments are now shared with parents for comment before they are finalised.",
    ),
    (
        "Calls from a grandparent were not returned within the promised time.",
        "Business support now log every call back request and managers check them weekly.",
    ),
    (
        "The complainant was not told how long the review of the plan would take.",
        "Letters confirming a review now state the expected timescale and a named contact.",
    ),
    (
        "Minutes of the core group meeting were sent to the wrong address.",
        "Addresses are checked against the case record before minutes are sent; the team had a data protection refresher.",
    ),
    (
        "A young person's belongings were moved in bin bags when they changed placement.",
        "Every placement move now has suitcases supplied; the service has bought a stock of luggage.",
    ),
    (
        "The plan did not record the child's own views.",
        "Practice guidance reissued: every plan records the child's views in their own words.",
    ),
    (
        "Contact arrangements changed without the foster carer being told.",
        "Supervising social workers now confirm contact changes with carers by email the same day.",
    ),
    (
        "The complaint was treated as a practice query and not logged for two weeks.",
        "All staff reminded to pass anything that could be a complaint to the complaints team the same day.",
    ),
    (
        "The parent felt the tone of an email was dismissive.",
        "Team discussion on written communication; templates reviewed for plain English.",
    ),
    (
        "Information about a third party was left in a report shared with a family member.",
        "Redaction checklist introduced for every report shared outside the service.",
    ),
    (
        "A visit was cancelled at short notice without an explanation.",
        "Managers now check that families are telephoned when a visit has to move.",
    ),
    (
        "The family were unclear why the case was closed.",
        "Closure letters now explain the reasons and what to do if things change.",
    ),
    (
        "Delay in arranging an interpreter meant a meeting had to be rescheduled.",
        "Interpreters are booked when the meeting is set, not the day before.",
    ),
    (
        "The care leaver was not told about their entitlement to a setting-up-home allowance.",
        "Personal advisers now go through the local offer at every pathway plan review.",
    ),
    (
        "A request for a copy of the plan took six weeks to answer.",
        "Requests for plans are now sent within ten working days and tracked by business support.",
    ),
    (
        "The complainant received two different answers from two teams.",
        "Teams agreed a single point of contact for families working with more than one service.",
    ),
    (
        "Home to school transport was withdrawn without notice to the parent.",
        "Transport changes are now confirmed in writing at least ten school days ahead.",
    ),
    (
        "The annual review of the education, health and care plan was late.",
        "Extra casework capacity added; annual reviews now tracked weekly against the statutory deadline.",
    ),
    (
        "Alternative provision was not arranged promptly when the pupil stopped attending school.",
        "Officers reminded of the duty to arrange suitable education; a decision log introduced.",
    ),
    (
        "The parent was not kept informed while a specialist placement was sought.",
        "Families now receive a fortnightly update while a placement search is open.",
    ),
    (
        "A school admissions appeal letter gave the wrong date.",
        "Letters are now checked by a second officer before they are sent.",
    ),
    (
        "The parent was not told the outcome of the panel's decision in writing.",
        "Panel decisions are now sent in writing within five working days.",
    ),
    (
        "The early help worker did not share the action plan with both parents.",
        "Plans are now shared with every person with parental responsibility unless there is a recorded reason not to.",
    ),
]

LEARNING_OTHER = [
    (
        "A resident waited too long for a repair to be booked.",
        "Repairs requests are now acknowledged with a booking date within three working days.",
    ),
    (
        "The customer was passed between teams without an answer.",
        "Front-line staff trained to take ownership of a query until it is answered.",
    ),
    (
        "A missed bin collection was reported three times before it was resolved.",
        "Crews now confirm missed collections on the in-cab system the same day.",
    ),
    (
        "A care assessment letter used jargon the family did not understand.",
        "Letter templates rewritten in plain English and tested with carers.",
    ),
    (
        "Planning enquiries were not acknowledged.",
        "An automatic acknowledgement now gives a reference and a response date.",
    ),
]

STAGE2_SUBJECTS = [
    "The family felt no support was offered before a child came into care.",
    "The support provided does not meet the child's assessed needs.",
    "The parent has had no written confirmation of housing arrangements that meet the child's needs.",
    "The parent feels the social work practice under a child in need plan was poor.",
    "Alleged errors in a report, inappropriate comments and lack of contact with a relative.",
    "The family disagree with the outcome of an assessment and the way it was carried out.",
    "Delay in providing support agreed at a review.",
    "Concerns about how information about the family was recorded and shared.",
]

OMBUDSMAN_SUMMARIES = {
    "nsc": [
        (
            "The council delayed issuing an education, health and care plan.",
            "Remind officers of the statutory timescales and review caseloads in the SEN team.",
        ),
        (
            "The council did not arrange suitable alternative education while the child was out of school.",
            "Review how decisions about alternative provision are made and recorded; train officers on the duty to provide education.",
        ),
        (
            "The council did not deliver the provision set out in the child's plan.",
            "Audit plans where provision is not in place and report the outcome to the Ombudsman.",
        ),
        (
            "The council refused home to school transport without properly considering the application.",
            "Provide guidance to transport and SEN officers on assessing eligibility.",
        ),
        (
            "The council communicated poorly while a school placement was sought.",
            "Remind staff of the service standards for keeping families informed.",
        ),
        (
            "The council delayed the annual review of the child's plan and the right of appeal.",
            "Track annual reviews against the statutory deadline and report delays to managers.",
        ),
    ],
    "csc": [
        (
            "The council did not respond properly to the grandparent's calls about a child's welfare.",
            "Remind social care staff of the recording policy and how to respond to concerns.",
        ),
        (
            "The council did not keep a record of a multi-agency meeting.",
            "Remind staff that the lead agency must record every meeting.",
        ),
        (
            "The council's complaint response did not address all the points raised.",
            "Share the decision with managers who respond to complaints.",
        ),
    ],
    "other": [
        (
            "The council delayed an adult social care financial assessment.",
            "Review the financial assessment backlog and apologise to the complainant.",
        ),
        (
            "The council did not deal properly with a housing register application.",
            "Remind officers of the allocation policy and review the application.",
        ),
        (
            "The council did not collect waste as scheduled and did not respond to reports.",
            "Apologise and review the missed collection process.",
        ),
        (
            "The council delayed deciding a planning enforcement complaint.",
            "Set a timescale for enforcement decisions and apologise to the complainant.",
        ),
    ],
}

# The 2023/24 Ombudsman findings for the Children's directorate: reference, remedy, note.
# References and amounts as the published report lists them; the text above replaces its summaries.
PUBLISHED_NSC_2023_UPHELD = [
    ("22006903", 500.00, None),
    ("22007794", 31200.00, "+ rolling cost, unpaid (challenged via solicitor)"),
    ("22007859", 2000.00, None),
    ("22009300", 2200.00, None),
    ("22009845", 150.00, None),
    ("22011440", 3800.00, None),
    ("22013476", 1400.00, None),
    ("22015157", 1600.00, None),
    ("22015375", 100.00, None),
    ("22015727", 5954.00, None),
    ("22016569", 600.00, None),
    ("22016709", 1800.00, None),
    ("23001076", 4500.00, None),
    ("23001176", 400.00, None),
    ("23001987", None, "Apology; no financial remedy"),
    ("23004838", 8900.00, None),
    ("23009049", 850.00, None),
    ("23009232", 250.00, None),
    ("23009368", 1754.96, None),
    ("21017726", 1650.00, None),
]
PUBLISHED_CSC_2023_UPHELD = [
    ("23017734", None, "Passed back to the council for local resolution (Stage 2)")
]

# The 2023/24 Stage 2 cases (published table): ref, team, subject index, stage outcomes, costs.
PUBLISHED_CSC_2023_STAGE2 = [
    # ref, team, subject, stage 2 outcome, stage 3 outcome, investigator, independent person
    ("COM/4822", "CWAD", 0, "Partially justified", None, 3367.20, 2117.74),
    ("COM/3262", "CWAD", 1, "Fully justified", None, 3780.00, 1207.50),
    ("COM/4613", "CWAD", 2, "Fully justified", None, 1462.90, 459.50),
    ("COM/4783", "North", 3, "Not justified", "Withdrawn", None, None),
    ("COM/3472", "Chesil", 4, None, None, None, None),  # still open at Stage 2
]

CSC_TEAMS = [
    "North",
    "Chesil",
    "Purbeck",
    "Dorchester and West",
    "East",
    "CWAD",
    "Fostering",
    "ChAD",
    "Care Leavers",
    "Business Support",
]
NSC_TEAMS = [
    "SEN",
    "Education Inclusion",
    "School Admissions",
    "Home to School Transport",
    "Early Help",
]
OTHER_SERVICES = {
    "Adults and Housing": [
        ("Adult Social Care", ["Assessment", "Reablement", "Financial Assessment"]),
        ("Housing", ["Housing Options", "Homelessness"]),
    ],
    "Place": [
        ("Highways", ["Highways North", "Highways South"]),
        ("Waste", ["Waste Collection"]),
        ("Planning", ["Development Management", "Enforcement"]),
    ],
    "Corporate": [
        ("Revenues and Benefits", ["Council Tax", "Benefits"]),
        ("Customer Services", ["Contact Centre"]),
    ],
}
THEMES_DEFAULT = {
    "Communication": 12,
    "Data": 3,
    "Finance": 2,
    "Policy - Disagreement with Decision": 14,
    "Service Provision - Delay": 8,
    "Professional Practice/Quality of Service": 45,
    "Misconduct": 4,
    "Other": 3,
}
THEMES_OLD = {
    "Communication": 12,
    "Data": 2,
    "Finance": 2,
    "Policy - Disagreement with Decision": 10,
    "Service Provision - Delay": 8,
    "Service Provision - Professional Practice": 25,
    "Service Provision - Quality of Service": 20,
    "Service Provision -Attitude of Staff": 10,
    "Service Provision -Failure to provide service": 6,
    "Service Provision -Inadequate Service": 5,
}
COMPLAINANT_TYPES = {
    "Parent": 45,
    "Grandparent": 8,
    "Other Relative": 8,
    "Young Person": 5,
    "Advocate": 3,
    "Customer": 15,
    "Individual": 4,
    "Group": 1,
}
TOWN_COUNCILS = [
    "Wessex Council",
    "Casterbridge Town Council",
    "Budmouth Town Council",
    "Sandbourne Town Council",
    "Shottsford Parish Council",
    "Kingsbere Parish Council",
    "Weatherbury Parish Council",
    "Melchester Town Council",
]

# Equality monitoring: published percentages (2023/24 report for 2023-24 and 2022-23, 2020/21
# report for 2020-21). None = "Left Blank" (a blank cell).
EQUALITIES_2023 = {
    "gender": {
        "Female": 52,
        "Male": 32,
        "Self described or non binary": 1,
        "Prefer not to say or left blank": 15,
    },
    "sexuality": {
        "Heterosexual": 66,
        "Gay Man": 1,
        "Bisexual": 2,
        "Prefer not to say (selected)": 17,
        "Gay Woman/Lesbian": 1,
        None: 13,
    },
    "age_band": {
        "16-24": 4,
        "25-34": 12,
        "35-44": 17,
        "45-54": 17,
        "55-64": 18,
        "65-74": 13,
        "75 & Older": 7,
        None: 12,
    },
    # published sum 112%: Left Blank takes 16 not 28
    "religion": {
        "Atheist": 3,
        "Buddhist": 1,
        "Christian (including Church of England, Catholic, Protestant and other Christian denominations)": 30,
        "None/no religion": 35,
        "Other": 3,
        "Prefer not to say (selected)": 12,
        None: 16,
    },
    # published sum 82%: Left Blank takes 20 not 2
    "ethnicity": {"Prefer not to say": 4, "White - British": 74, "Other": 2, None: 20},
    "disability": {
        "Mental Health, Learning Difficulty/Sensory": 2,
        "Mental Health Long Term": 4,
        "Mental Health - Unspecified": 4,
        "Physical Disability - Long Term": 2,
        "Physical Disability - Unspecified": 5,
        "No disability": 60,
        None: 23,
    },
}
EQUALITIES_2022 = {
    "gender": {
        "Female": 50,
        "Male": 33,
        "Self described or non binary": 1,
        "Prefer not to say or left blank": 16,
    },
    "sexuality": {
        "Heterosexual": 67,
        "Gay Man": 1,
        "Bisexual": 2,
        "Prefer not to say (selected)": 14,
        "Gay Woman/Lesbian": 2,
        None: 14,
    },
    "age_band": {
        "16-24": 4,
        "25-34": 11,
        "35-44": 15,
        "45-54": 16,
        "55-64": 17,
        "65-74": 17,
        "75 & Older": 6,
        None: 14,
    },
    # published sum 110%: Left Blank takes 18 not 28
    "religion": {
        "Atheist": 2,
        "Christian (including Church of England, Catholic, Protestant and other Christian denominations)": 30,
        "None/no religion": 36,
        "Other": 2,
        "Prefer not to say (selected)": 12,
        None: 18,
    },
    "ethnicity": {"Prefer not to say": 4, "White - British": 70, "Other": 2, None: 24},
    "disability": {
        "Mental Health Long Term": 2,
        "Mental Health - Unspecified": 2,
        "Physical Disability - Long Term": 4,
        "Physical Disability - Unspecified": 6,
        "No disability": 62,
        None: 24,
    },
}
EQUALITIES_2020 = {
    "gender": {"Female": 53, "Male": 40, "Prefer not to say": 7},
    "ethnicity": {
        "British White": 87,
        "Mixed Ethnic Background": 3,
        "Indian": 3,
        "Prefer not to say": 7,
    },
    "sexuality": {"Heterosexual": 76, "Gay": 1, "Bisexual": 3, "Prefer not to say": 20},
    "religion": {
        "Christian (including Church of England, Catholic, Protestant and other Christian denominations)": 44,
        "None/no religion": 40,
        "Other": 1,
        "Prefer not to say/didn't complete form": 15,
    },
    "age_band": {"16-24": 1, "25-34": 2, "35-44": 16, "55-64": 44, "65 and older": 37},
    "disability": {
        "Learning disability": 4,
        "Mental health illness": 18,
        "Hearing impairment": 5,
        "Physical Illness": 31,
        "Prefer not to say": 42,
    },
}


# --- Free text chosen to fit each record (generate_demo_data.rewrite_free_text) ---------------
# Each base is (learning, action, details): "{d}" in either text takes each detail in turn, so
# that a base gives as many distinct pairs as it has details. The pools are large enough that no
# learning text repeats within a year's children's services records.

LEARNING_CSC = [
    (
        "Parents were not told in writing what had been agreed at the {d}.",
        "Social workers now send a written summary within five working days of every {d}.",
        [
            "child in need review",
            "core group meeting",
            "family network meeting",
            "strategy discussion",
        ],
    ),
    (
        "The family were not given the duty team's contact details when their {d} was on leave.",
        "Out-of-office messages now give the duty number, and cover for the {d} is agreed before leave.",
        ["social worker", "personal adviser", "family support worker"],
    ),
    (
        "A {d} was shared before the parent could correct factual errors in it.",
        "A draft {d} is now shared with parents for comment before it is finalised.",
        [
            "child and family assessment",
            "parenting assessment",
            "court statement",
            "conference report",
        ],
    ),
    (
        "Calls from a {d} were not returned within the promised time.",
        "Business support log every call-back request from a {d}, and managers check them weekly.",
        ["grandparent", "foster carer", "parent", "family friend carer"],
    ),
    (
        "A young person's belongings were moved in bin bags when they {d}.",
        "Suitcases are now supplied whenever a young person {d}; the service has bought a stock of luggage.",
        ["changed placement", "moved to supported accommodation", "returned home"],
    ),
    (
        "The {d} did not record the child's own views.",
        "Practice guidance reissued: every {d} records the child's views in their own words.",
        ["care plan", "child in need plan", "pathway plan", "child protection plan"],
    ),
    (
        "{d} changed without the foster carer being told.",
        "Supervising social workers now confirm changes to {d_lower} with carers by email the same day.",
        ["Contact arrangements", "School transport arrangements", "Respite dates"],
    ),
    (
        "Information about a third party was left in a {d} shared with a family member.",
        "A redaction checklist is now completed for every {d} shared outside the service.",
        ["report", "set of case notes", "set of meeting minutes", "chronology"],
    ),
    (
        "A {d} was cancelled at short notice without an explanation to the family.",
        "Managers now check that families are telephoned when a {d} has to move.",
        ["home visit", "family time session", "review meeting"],
    ),
    (
        "The family were unclear why {d}.",
        "Letters now explain why {d} and what the family can do if things change.",
        [
            "the case was closed",
            "the case was stepped down to early help",
            "the referral was not taken further",
        ],
    ),
    (
        "Delay in arranging {d} meant a meeting had to be rearranged.",
        "{d_cap} is now booked when the meeting is set, not the day before.",
        ["an interpreter", "a British Sign Language interpreter", "an accessible venue"],
    ),
    (
        "The care leaver was not told about their entitlement to {d}.",
        "Personal advisers now go through the local offer, including {d}, at every pathway plan review.",
        ["a setting-up-home allowance", "help with council tax", "a higher education bursary"],
    ),
    (
        "The complainant received different answers from {d}.",
        "{d_cap} agreed a single point of contact for families they both work with.",
        [
            "the assessment team and the family support team",
            "the disabled children's team and the short breaks service",
            "the fostering team and the child's social worker",
        ],
    ),
    (
        "Not every person with parental responsibility was invited to the {d}.",
        "Team managers now check the invitation list for every {d} against the case record.",
        ["child protection conference", "looked after child review", "child in need review"],
    ),
    (
        "A direct payment for {d} started weeks later than agreed.",
        "Direct payments for {d} are now tracked from the date of the decision to the first payment.",
        ["short breaks", "a personal assistant", "holiday activities"],
    ),
    (
        "The parent was not told that the {d} would be shared with the other parent.",
        "Staff now explain at the start of each {d} what will be shared and with whom.",
        ["assessment", "meeting notes", "safety plan"],
    ),
]

LEARNING_NSC = [
    (
        "The annual review of the education, health and care plan {d}.",
        "Annual reviews are now tracked weekly against the statutory deadline; a case officer checks any that {d}.",
        [
            "was held late",
            "was not followed by an amended plan",
            "was not attended by the school",
            "was cancelled at short notice",
        ],
    ),
    (
        "Alternative provision was not arranged promptly when the pupil {d}.",
        "Officers reminded of the duty to arrange suitable education when a pupil {d}; a decision log has been introduced.",
        [
            "stopped attending school",
            "was excluded",
            "was too unwell to attend school",
            "was waiting for a special school place",
        ],
    ),
    (
        "The parent was not kept informed while a {d} was sought.",
        "Families now receive a fortnightly update while a search for a {d} is open.",
        ["specialist placement", "special school place", "college place", "tutoring provider"],
    ),
    (
        "A {d} gave the wrong date.",
        "Every {d} is now checked by a second officer before it is sent.",
        [
            "school admissions appeal letter",
            "transport confirmation letter",
            "annual review invitation",
            "tribunal deadline letter",
        ],
    ),
    (
        "The parent was not told the outcome of the {d} in writing.",
        "Decisions of the {d} are now sent in writing within five working days.",
        ["SEN panel", "transport appeal panel", "exclusions review", "admissions panel"],
    ),
    (
        "The early help worker did not share the {d} with both parents.",
        "Early help workers now share the {d} with every person with parental responsibility unless there is a recorded reason not to.",
        ["action plan", "family assessment", "review notes", "team around the family minutes"],
    ),
    (
        "The parent waited {d} for a response to an application for home to school transport.",
        "Transport applications are now logged on receipt and decided within 20 school days; the parent was apologised to after waiting {d}.",
        ["six weeks", "two months", "most of the summer term", "half a term"],
    ),
    (
        "The draft education, health and care plan was issued {d}.",
        "Plan writers now use a checklist so that no draft is issued {d}.",
        [
            "without the educational psychologist's advice",
            "without the health advice",
            "with another child's details in it",
            "with sections left blank",
        ],
    ),
    (
        "The family were not told who their case officer was after a {d}.",
        "Families are now written to within five working days of any {d}, naming their new case officer.",
        [
            "staff change",
            "team restructure",
            "move to another area team",
            "case transfer from another council",
        ],
    ),
    (
        "Emails from the parent to the {d} went unanswered for weeks.",
        "The {d} now has a shared inbox checked every day, with a five working day reply standard.",
        ["SEN team", "school transport team", "admissions team", "education welfare service"],
    ),
    (
        "The school was not told about the child's {d} before the start of term.",
        "Case officers now send the child's {d} to the new school at least two weeks before the start of term.",
        ["education, health and care plan", "medical needs", "transport arrangements"],
    ),
    (
        "The reasons for refusing an education, health and care needs assessment were not explained {d}.",
        "Refusal letters now set out the evidence considered and the right of appeal, explained {d}.",
        [
            "in plain English",
            "to the young person as well as the parent",
            "before the appeal deadline",
        ],
    ),
    (
        "The parent was not offered a meeting to discuss the {d}.",
        "Parents are now offered a meeting with the case officer when they receive a {d}.",
        ["draft plan", "decision not to issue a plan", "proposed change of school", "final plan"],
    ),
    (
        "Occupational therapy {d} were not followed up in writing.",
        "Managers now follow up occupational therapy {d} in writing, so the family knows the outcome.",
        ["home visits", "assessments", "equipment reviews", "adaptation visits"],
    ),
    (
        "The tribunal's order to amend the plan was carried out {d}.",
        "Tribunal orders are now logged on receipt and tracked by a senior officer until the plan is amended; none should be carried out {d}.",
        ["after the five week limit", "only in part", "after the family chased it"],
    ),
    (
        "Information about the local offer for {d} was out of date.",
        "The local offer pages on {d} are now reviewed every term by a named officer.",
        [
            "short breaks",
            "post-16 transport",
            "SEN support in schools",
            "independent travel training",
        ],
    ),
]

# Ombudsman decisions. Upheld: the fault and the injustice the remedy puts right, by the size of
# the payment; the amount itself is added from the record. {d} takes each detail in turn.
OMBUDSMAN_UPHELD_NSC = {
    # a payment of 5,000 or more: a long loss of education or provision
    "large": [
        "The council did not secure the special educational provision in the child's plan for {d}; it agreed to pay for the lost provision and to apologise.",
        "The council did not arrange suitable education for a child out of school for {d}; it agreed to pay for the lost education and for the family's distress.",
    ],
    # from 1,000 to 5,000: delay or missed provision over months
    "medium": [
        "The council delayed issuing the child's education, health and care plan by {d}; it agreed to pay for the provision missed and for the family's distress.",
        "The council did not provide the speech and language therapy in the child's plan for {d}; it agreed to pay for the missed sessions.",
        "The council did not arrange alternative provision promptly when the child stopped attending school, leaving them without education for {d}; it agreed to pay for the lost education.",
        "The council delayed amending the child's plan after the annual review by {d}; it agreed to pay for the uncertainty and the provision missed.",
    ],
    # under 1,000: distress, time and trouble
    "small": [
        "The council delayed {d}; it agreed to apologise and pay for the distress and the time and trouble caused.",
        "The council was at fault for delay in {d}; it agreed to apologise and make a payment for the frustration caused.",
    ],
    # no payment
    "none": [
        "The council communicated poorly with the family while {d}; an apology was a suitable remedy.",
        "The council did not keep the family informed while {d}; it agreed to apologise.",
    ],
}
OMBUDSMAN_DETAILS = {
    "large": [
        "more than a year",
        "two school terms",
        "most of the school year",
        "over eighteen months",
    ],
    "medium": [
        "four months",
        "three months",
        "a school term",
        "five months",
        "ten weeks",
        "six months",
        "two terms",
        "seven weeks",
    ],
    "small": [
        "replying to the parent's complaint about transport",
        "telling the parent the outcome of an SEN panel",
        "sending the final plan after the tribunal's decision",
        "answering the parent's questions about the annual review",
        "deciding an application for home to school transport",
        "responding to the parent's request for a needs assessment",
        "putting right an error in the child's plan",
        "arranging a meeting to discuss the child's placement",
        "replying to the parent's emails about the child's provision",
        "sending the school the child's amended plan",
    ],
    "none": [
        "a school placement was sought",
        "the child's plan was reviewed",
        "a transport application was decided",
        "the family waited for a needs assessment",
    ],
}
OMBUDSMAN_UPHELD_CSC = [
    "The council did not respond properly to a relative's calls about a child's welfare; it agreed to apologise and remind staff how to record and act on concerns.",
    "The council did not keep a record of a multi-agency meeting about a child; it agreed to apologise and remind staff that the lead agency records every meeting.",
    "The council's complaint response did not address all the points raised; it agreed to apologise and consider the complaint at Stage 2.",
    "The council delayed a Stage 2 investigation of a complaint about children's social care; it agreed to apologise and complete the investigation.",
]
OMBUDSMAN_UPHELD_CSC_STAGE2 = (
    "The council's Stage 1 response did not address all the points raised and did not offer the "
    "family Stage 2 of the statutory children's complaints procedure; it agreed to apologise and "
    "to investigate the complaint at Stage 2."
)
OMBUDSMAN_NOT_UPHELD = [
    "The Ombudsman found no fault in how the council {d}.",
    "The Ombudsman investigated and did not uphold a complaint about how the council {d}.",
]
OMBUDSMAN_NOT_UPHELD_DETAILS = {
    "nsc": [
        "decided not to carry out an education, health and care needs assessment",
        "assessed the child's eligibility for home to school transport",
        "named the school in the child's plan",
        "handled the family's application for a school place",
        "reviewed the child's plan",
        "decided the child's alternative provision",
        "considered the parent's request for a personal budget",
        "dealt with the child's absence from school",
        "decided the parent's request for a different school",
        "communicated with the family about the child's support",
        "handled a children's centre referral",
        "arranged the child's speech and language therapy",
    ],
    "csc": [
        "carried out a child and family assessment",
        "decided contact arrangements for a child in care",
        "investigated concerns about a child's welfare",
        "considered a request for a carer's assessment",
        "decided the support offered to a care leaver",
        "handled a referral about a child's safety",
    ],
}
OMBUDSMAN_CLOSED = [
    "The Ombudsman did not investigate: {d}.",
    "The Ombudsman closed the complaint after initial enquiries because {d}.",
]
OMBUDSMAN_CLOSED_DETAILS = [
    "the parent had appealed to the SEND Tribunal, which was the right route for the dispute",
    "the complaint was made more than twelve months after the parent knew of the matter",
    "the council had not yet had the chance to respond through its complaints procedure",
    "the complaint concerned what happened in court proceedings, which the Ombudsman cannot consider",
    "further investigation was unlikely to find fault or lead to a different outcome",
    "the complaint was about a school's internal matters, which the Ombudsman cannot consider",
    "the injustice claimed was not significant enough to justify an investigation",
    "the parent could have appealed against the transport decision",
]
OMBUDSMAN_REFERRED_BACK = [
    "The Ombudsman referred the complaint back to the council, which had not finished {d}.",
    "The complaint came to the Ombudsman too soon and was referred back: the council had not finished {d}.",
]
OMBUDSMAN_REFERRED_BACK_DETAILS = [
    "considering it under its complaints procedure",
    "its Stage 2 investigation",
    "responding to the parent's latest complaint",
    "its review of the child's plan",
]
OMBUDSMAN_RECOMMENDATIONS = {
    "large": "Pay the remedy, apologise, and audit plans where provision is not in place; report the outcome to the Ombudsman.",
    "medium": "Pay the remedy, apologise, and review caseloads and the tracking of statutory timescales in the SEN team.",
    "small": "Pay the remedy, apologise, and remind officers of the service standards for replying to families.",
    "none": "Apologise, and remind staff of the service standards for keeping families informed.",
    "csc": "Apologise and share the learning with social care managers.",
}

# The planted personal data (PERSONAL_DATA_MARKERS), as staff sometimes write it: redaction must
# remove it from what is published. The phone number sits in brackets, so the redacted text
# still reads as a sentence.
PLANTED_LEARNING = [
    (
        "Jayden's foster carer was not told about the change of school transport.",
        "The team manager apologised to the carer and gave her a direct line (07700 900456) for any future changes.",
    ),
    (
        "The social worker sent Amelia Hart's assessment to the wrong email address.",
        "The data protection team was told and the assessment recalled; staff were reminded to check addresses against the case record (amelia.hart@example.org).",
    ),
]

# Children's social care decisions closed or referred back, in the statutory procedure's terms.
OMBUDSMAN_CLOSED_DETAILS_CSC = [
    "the complaint concerned care proceedings in court, which the Ombudsman cannot consider",
    "the council had not yet completed the statutory children's complaints procedure",
    "the complaint about a social worker's conduct was made more than twelve months after the events",
    "further investigation of the social care complaint was unlikely to find fault",
    "the family's concerns about a child protection plan were better raised at the conference",
]
OMBUDSMAN_REFERRED_BACK_DETAILS_CSC = [
    "its Stage 2 investigation of the complaint about children's social care",
    "considering the complaint at Stage 1 of the children's complaints procedure",
    "arranging the Stage 3 review panel the family had asked for",
]
