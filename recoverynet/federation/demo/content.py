"""Hand-written demo content: the federation, its five networks, their recovery
settlements, organisations and partnerships. All fictional.

Towns and coordinates are real (so the map makes sense); street addresses,
organisations and people are not. Phone numbers are from Ofcom's ranges
reserved for TV and radio drama (0161 496 0xxx, 0151 496 0xxx, 01632 960xxx).
"""

import datetime

FEDERATION = {
    "slug": "north-west",
    "name": "North West Recovery Federation",
    "description": (
        "Five community-led recovery networks – Cheshire, Cumbria, Greater Manchester, Lancashire and "
        "Merseyside – working together as one federation across North West England.\n\n"
        "Each network grows recovery settlements: community hubs modelled on the Settlement Movement, where "
        "people in recovery, their families and allies, mutual-aid groups and organisations from every sector "
        "live out recovery together and plan and deliver projects side by side.\n\n"
        "Our message is simple: Recovery is a Reality. Recovery is visible, it is contagious, and it belongs "
        "to the communities that make it happen.\n\n"
        "(Demo data: every person, address and organisation on this site is fictional.)"
    ),
}

DEMO_NOTE = "(Demo data: fictional.)"

# The five networks (contact emails and websites are derived from the slug by the loader).
NETWORKS = [
    {
        "slug": "cheshire",
        "name": "Cheshire",
        "summary": "Recovery settlements from the Dee to the Peak District edge, led by people in recovery.",
        "description": (
            "The Cheshire network links recovery communities in Chester, Crewe, Warrington and Macclesfield. "
            "Members run recovery cafés, a joinery workshop and a growing programme on two allotments, and "
            "work with treatment services so nobody leaves treatment without a warm welcome into community.\n\n"
            "New members are welcomed by a coordinator before they join. " + DEMO_NOTE
        ),
        "latitude": "53.19100",
        "longitude": "-2.52000",
        "requires_approval": True,
    },
    {
        "slug": "cumbria",
        "name": "Cumbria",
        "summary": "Fell walking, bike building and recovery cafés across Cumbria's towns and valleys.",
        "description": (
            "The Cumbria network connects people in recovery across a large rural county, from Carlisle to "
            "Barrow-in-Furness. Distance is the challenge, so settlements share lifts, run online check-ins "
            "and meet up for monthly fell walks.\n\n"
            "New members are welcomed by a coordinator before they join. " + DEMO_NOTE
        ),
        "latitude": "54.60000",
        "longitude": "-2.95000",
        "requires_approval": True,
    },
    {
        "slug": "greater-manchester",
        "name": "Greater Manchester",
        "summary": "A city-region recovery community: cafés, print studios, walking groups and peer mentors.",
        "description": (
            "The Greater Manchester network brings together recovery communities in Manchester, Salford, "
            "Bolton, Oldham and Wigan. It is the largest network in the federation and runs the federation's "
            "peer mentor training.\n\n"
            "Anyone can join straight away. " + DEMO_NOTE
        ),
        "latitude": "53.48080",
        "longitude": "-2.24260",
        "requires_approval": False,
    },
    {
        "slug": "lancashire",
        "name": "Lancashire",
        "summary": "From the Fylde coast to Pendle: recovery settlements, upcycling and the Recovery College.",
        "description": (
            "The Lancashire network spans Preston, Blackpool, Lancaster, Burnley and Blackburn. It hosts the "
            "North West Recovery College and a busy upcycling social enterprise on the Fylde coast.\n\n"
            "New members are welcomed by a coordinator before they join. " + DEMO_NOTE
        ),
        "latitude": "53.80000",
        "longitude": "-2.60000",
        "requires_approval": True,
    },
    {
        "slug": "merseyside",
        "name": "Merseyside",
        "summary": "Both banks of the Mersey: growers, families and recovery at work.",
        "description": (
            "The Merseyside network links recovery communities in Liverpool, Birkenhead, St Helens and "
            "Southport. Its food-growing network supplies the recovery cafés, and its families group is one of "
            "the oldest in the region.\n\n"
            "Anyone can join straight away. " + DEMO_NOTE
        ),
        "latitude": "53.41000",
        "longitude": "-2.98000",
        "requires_approval": False,
    },
]

# Prefixes for the settlements' public numbers (two more digits follow).
PHONE_PREFIX = {
    "cheshire": "01632 9601",
    "cumbria": "01632 9602",
    "greater-manchester": "0161 496 01",
    "lancashire": "01632 9603",
    "merseyside": "0151 496 01",
}

# network slug -> settlements: (name, town, postcode district, latitude, longitude, street)
SETTLEMENTS = {
    "cheshire": [
        ("Chester Recovery Settlement", "Chester", "CH1", "53.19340", "-2.89310", "Rowan Yard"),
        ("Crewe Recovery Settlement", "Crewe", "CW1", "53.09790", "-2.44160", "Railway Terrace"),
        ("Warrington Recovery Settlement", "Warrington", "WA1", "53.39000", "-2.59700", "Bridge Foot Mews"),
        ("Macclesfield Recovery Settlement", "Macclesfield", "SK11", "53.25870", "-2.12700", "Silk Mill Lane"),
    ],
    "cumbria": [
        ("Carlisle Recovery Settlement", "Carlisle", "CA1", "54.89250", "-2.93290", "Citadel Court"),
        ("Kendal Recovery Settlement", "Kendal", "LA9", "54.32800", "-2.74630", "Kent Wharf"),
        ("Barrow Recovery Settlement", "Barrow-in-Furness", "LA14", "54.11080", "-3.22610", "Shipyard Row"),
        ("Workington Recovery Settlement", "Workington", "CA14", "54.64250", "-3.54420", "Derwent Street"),
    ],
    "greater-manchester": [
        ("Ancoats Recovery Settlement", "Manchester", "M4", "53.48350", "-2.22670", "Cotton Mill Yard"),
        ("Salford Recovery Settlement", "Salford", "M5", "53.48750", "-2.29010", "Irwell Arches"),
        ("Bolton Recovery Settlement", "Bolton", "BL1", "53.57690", "-2.42820", "Weavers Court"),
        ("Oldham Recovery Settlement", "Oldham", "OL1", "53.54090", "-2.11140", "Spindle Walk"),
        ("Wigan Recovery Settlement", "Wigan", "WN1", "53.54500", "-2.63250", "Pier Lane"),
    ],
    "lancashire": [
        ("Preston Recovery Settlement", "Preston", "PR1", "53.76320", "-2.70310", "Harris Yard"),
        ("Blackpool Recovery Settlement", "Blackpool", "FY1", "53.81750", "-3.03570", "Promenade Works"),
        ("Lancaster Recovery Settlement", "Lancaster", "LA1", "54.04660", "-2.80070", "Quay Steps"),
        ("Burnley Recovery Settlement", "Burnley", "BB11", "53.78930", "-2.24050", "Canal Side"),
        ("Blackburn Recovery Settlement", "Blackburn", "BB1", "53.74860", "-2.48770", "Cathedral Mews"),
    ],
    "merseyside": [
        ("Liverpool Recovery Settlement", "Liverpool", "L1", "53.40840", "-2.99160", "Ropewalks Yard"),
        ("Birkenhead Recovery Settlement", "Birkenhead", "CH41", "53.39340", "-3.01480", "Dock Gate Court"),
        ("St Helens Recovery Settlement", "St Helens", "WA10", "53.45390", "-2.73750", "Glassworks Lane"),
        ("Southport Recovery Settlement", "Southport", "PR8", "53.64750", "-3.00530", "Pier View"),
    ],
}

SETTLEMENT_SUMMARIES = [
    "A recovery hub in {town}: drop in for a brew, a chat and a way into everything the network does.",
    "People in recovery, families and allies in {town} planning and running projects together.",
    "{town}'s recovery settlement: a café, meeting rooms and a garden, open to anyone affected by addiction.",
    "A welcoming community hub in {town}, run by and for people in recovery.",
]

ACTIVITIES = [
    "Recovery café: hot food, tea and a friendly face",
    "Allotment and food-growing project",
    "Art group (all materials provided)",
    "SMART Recovery meetings",
    "Peer mentoring: one-to-one support from someone further along the road",
    "Volunteering: kitchen, garden, reception and events",
    "Walking group",
    "Music and open-mic night",
    "Family and friends support group",
    "Cook and eat sessions",
    "Bike repair workshop",
    "Employment, training and CV drop-in",
    "Mindfulness and relaxation",
    "Creative writing group",
    "Five-a-side football",
    "Recovery College taster courses",
]

OPENING_TIMES = [
    "Monday to Friday, 10am to 4pm\nThursday evenings, 6pm to 9pm",
    "Tuesday to Saturday, 9:30am to 3:30pm",
    "Monday to Thursday, 10am to 6pm\nSunday, 11am to 2pm (recovery café)",
    "Monday, Wednesday and Friday, 10am to 4pm\nSaturday, 10am to 1pm",
]

ACCESSIBILITY = [
    "Step-free entrance and accessible toilet on the ground floor. Hearing loop in the main room.",
    "Ground floor only: step-free access from the car park. Accessible toilet. Quiet room available.",
    "Level access through the side door. Lift to the first-floor meeting rooms. Two accessible parking spaces.",
    "One step at the front door (portable ramp on request). Accessible toilet. Assistance dogs welcome.",
]

# Organisations: (slug, name, sector, town, network slugs, description)
ORGANISATIONS = [
    # Cheshire
    (
        "weaver-vale-treatment",
        "Weaver Vale Community Treatment Service",
        "public",
        "Winsford",
        ["cheshire"],
        "An NHS-commissioned drug and alcohol treatment service with recovery workers in each settlement.",
    ),
    (
        "roodee-recovery-friends",
        "Roodee Recovery Friends",
        "voluntary",
        "Chester",
        ["cheshire"],
        "A registered charity of volunteers in recovery who run the Chester recovery café.",
    ),
    (
        "second-chance-kitchen",
        "Second Chance Kitchen CIC",
        "social_enterprise",
        "Crewe",
        ["cheshire"],
        "A catering social enterprise that trains and employs people in recovery.",
    ),
    (
        "gorse-hill-joinery",
        "Gorse Hill Joinery Ltd",
        "private",
        "Warrington",
        ["cheshire"],
        "A family joinery firm offering work placements and apprenticeships to people in recovery.",
    ),
    (
        "chester-smart-group",
        "Chester Tuesday SMART Group",
        "mutual_aid",
        "Chester",
        ["cheshire"],
        "A SMART Recovery mutual-aid meeting every Tuesday evening.",
    ),
    # Cumbria
    (
        "eden-fells-treatment",
        "Eden and Fells Treatment Service",
        "public",
        "Penrith",
        ["cumbria"],
        "The county's community treatment service, with outreach clinics in each recovery settlement.",
    ),
    (
        "solway-family-support",
        "Solway Family Support",
        "voluntary",
        "Workington",
        ["cumbria"],
        "Support for families and friends of people affected by drugs and alcohol.",
    ),
    (
        "fellside-bike-works",
        "Fellside Bike Works CIC",
        "social_enterprise",
        "Kendal",
        ["cumbria"],
        "Refurbishes donated bikes with volunteers in recovery and sells them at fair prices.",
    ),
    (
        "kentmere-outdoor-centre",
        "Kentmere Outdoor Centre Ltd",
        "private",
        "Kendal",
        ["cumbria"],
        "An outdoor activity centre that hosts the network's fell walks and climbing days.",
    ),
    (
        "kendal-peer-circle",
        "Kendal Peer Support Circle",
        "mutual_aid",
        "Kendal",
        ["cumbria"],
        "A peer-led mutual-aid group meeting twice a week.",
    ),
    # Greater Manchester
    (
        "irwell-recovery-service",
        "Irwell Integrated Recovery Service",
        "public",
        "Salford",
        ["greater-manchester"],
        "A public treatment and recovery service working across the city-region.",
    ),
    (
        "ancoats-families",
        "Ancoats Families Together",
        "voluntary",
        "Manchester",
        ["greater-manchester"],
        "A community charity for families living with a loved one's addiction.",
    ),
    (
        "mill-yard-cafe",
        "Mill Yard Café CIC",
        "social_enterprise",
        "Manchester",
        ["greater-manchester"],
        "A recovery café and training kitchen in a former cotton mill.",
    ),
    (
        "red-brick-print",
        "Red Brick Print Studio Ltd",
        "private",
        "Oldham",
        ["greater-manchester"],
        "A screen-printing studio that runs paid placements for people in recovery.",
    ),
    (
        "salford-sunday-group",
        "Salford Sunday Recovery Group",
        "mutual_aid",
        "Salford",
        ["greater-manchester"],
        "A mutual-aid meeting every Sunday morning, followed by breakfast.",
    ),
    # Lancashire
    (
        "ribble-wellbeing",
        "Ribble Valley Wellbeing Service",
        "public",
        "Preston",
        ["lancashire"],
        "A public health service for substance use, mental health and wellbeing.",
    ),
    (
        "pendle-recovery-allies",
        "Pendle Recovery Allies",
        "voluntary",
        "Burnley",
        ["lancashire"],
        "Volunteers who befriend people leaving treatment in East Lancashire.",
    ),
    (
        "promenade-upcycling",
        "Promenade Upcycling CIC",
        "social_enterprise",
        "Blackpool",
        ["lancashire"],
        "Turns donated furniture into stock for its shop, with volunteers in recovery.",
    ),
    (
        "lune-valley-builders",
        "Lune Valley Builders Ltd",
        "private",
        "Lancaster",
        ["lancashire"],
        "A building firm with a recovery-friendly recruitment policy.",
    ),
    (
        "preston-mutual-aid",
        "Preston Thursday Mutual Aid Meeting",
        "mutual_aid",
        "Preston",
        ["lancashire"],
        "An open mutual-aid meeting every Thursday evening.",
    ),
    # Merseyside
    (
        "mersey-estuary-treatment",
        "Mersey Estuary Treatment Partnership",
        "public",
        "Liverpool",
        ["merseyside"],
        "The public treatment service for both banks of the Mersey.",
    ),
    (
        "wirral-recovery-families",
        "Wirral Recovery Families",
        "voluntary",
        "Birkenhead",
        ["merseyside"],
        "One of the oldest family support groups in the region.",
    ),
    (
        "dockside-growers",
        "Dockside Growers CIC",
        "social_enterprise",
        "Liverpool",
        ["merseyside"],
        "Urban growing sites that supply the recovery cafés with vegetables.",
    ),
    (
        "albert-lane-recruitment",
        "Albert Lane Recruitment Ltd",
        "private",
        "Liverpool",
        ["merseyside"],
        "A recruitment agency that places people in recovery with local employers.",
    ),
    (
        "st-helens-smart",
        "St Helens SMART Recovery Group",
        "mutual_aid",
        "St Helens",
        ["merseyside"],
        "A SMART Recovery meeting every Monday and Friday.",
    ),
    # Across networks
    (
        "nw-recovery-college",
        "North West Recovery College",
        "voluntary",
        "Preston",
        ["cheshire", "cumbria", "greater-manchester", "lancashire", "merseyside"],
        "Free courses on recovery, wellbeing and life skills, co-produced with students in recovery.",
    ),
    (
        "nw-public-health",
        "North West Public Health Collaborative",
        "public",
        "Manchester",
        ["cheshire", "cumbria", "greater-manchester", "lancashire", "merseyside"],
        "Councils' public health teams working together on drug and alcohol recovery.",
    ),
    (
        "recovery-housing-nw",
        "Recovery Housing North West CIC",
        "social_enterprise",
        "Wigan",
        ["greater-manchester", "lancashire", "merseyside"],
        "Supported, recovery-friendly housing with peer support on site.",
    ),
    (
        "nw-peer-mentors",
        "North West Peer Mentors",
        "mutual_aid",
        "Birkenhead",
        ["cheshire", "merseyside"],
        "A mutual-aid network of trained peer mentors who meet people at the treatment service door.",
    ),
    (
        "northern-employment",
        "Northern Employment Partners Ltd",
        "private",
        "Carlisle",
        ["cumbria", "lancashire"],
        "Employers across the north pledging interviews and fair chances to people in recovery.",
    ),
]

# Partnerships: (slug, name, purpose, lead network, networks, organisation slugs, status, start, end)
PARTNERSHIPS = [
    (
        "warm-welcome-cumbria",
        "Warm Welcome Referral Pathway",
        "Every person leaving treatment in Cumbria is introduced in person to their nearest recovery settlement.",
        "cumbria",
        ["cumbria"],
        ["eden-fells-treatment", "kendal-peer-circle", "solway-family-support"],
        "active",
        datetime.date(2024, 4, 1),
        None,
    ),
    (
        "fells-bike-project",
        "Fells Bike Recovery Project",
        "Volunteers in recovery refurbish bikes and lead guided rides in the fells.",
        "cumbria",
        ["cumbria"],
        ["fellside-bike-works", "kentmere-outdoor-centre"],
        "active",
        datetime.date(2025, 3, 3),
        None,
    ),
    (
        "cheshire-recovery-kitchens",
        "Cheshire Recovery Kitchens",
        "Training kitchens in every Cheshire settlement, leading to food hygiene certificates and paid work.",
        "cheshire",
        ["cheshire"],
        ["second-chance-kitchen", "weaver-vale-treatment", "roodee-recovery-friends"],
        "active",
        datetime.date(2024, 9, 2),
        None,
    ),
    (
        "jobs-in-recovery-cheshire",
        "Jobs in Recovery Cheshire",
        "Apprenticeships and work placements with local employers for people in recovery.",
        "cheshire",
        ["cheshire"],
        ["gorse-hill-joinery", "weaver-vale-treatment", "chester-smart-group"],
        "paused",
        datetime.date(2025, 1, 13),
        None,
    ),
    (
        "gm-recovery-walks",
        "Greater Manchester Recovery Walks",
        "Monthly walks between settlements, ending in a shared meal, to make recovery visible.",
        "greater-manchester",
        ["greater-manchester"],
        ["ancoats-families", "salford-sunday-group", "irwell-recovery-service"],
        "ended",
        datetime.date(2023, 5, 1),
        datetime.date(2024, 10, 31),
    ),
    (
        "print-and-progress",
        "Print and Progress",
        "Paid screen-printing placements leading to a recognised qualification.",
        "greater-manchester",
        ["greater-manchester"],
        ["red-brick-print", "mill-yard-cafe"],
        "proposed",
        datetime.date(2027, 1, 4),
        None,
    ),
    (
        "coast-to-pennines-housing",
        "Coast to Pennines Recovery Housing",
        "Recovery-friendly homes with peer support for people leaving residential treatment.",
        "lancashire",
        ["lancashire", "greater-manchester", "merseyside"],
        ["recovery-housing-nw", "ribble-wellbeing", "irwell-recovery-service", "mersey-estuary-treatment"],
        "active",
        datetime.date(2024, 1, 8),
        None,
    ),
    (
        "promenade-skills",
        "Promenade Upcycling Skills",
        "Furniture restoration and building skills, from first visit to first job.",
        "lancashire",
        ["lancashire"],
        ["promenade-upcycling", "lune-valley-builders", "pendle-recovery-allies"],
        "active",
        datetime.date(2025, 6, 2),
        None,
    ),
    (
        "mersey-growers",
        "Mersey Growers Network",
        "Growing sites on both banks of the Mersey supplying the recovery cafés.",
        "merseyside",
        ["merseyside"],
        ["dockside-growers", "wirral-recovery-families", "st-helens-smart"],
        "active",
        datetime.date(2023, 3, 20),
        None,
    ),
    (
        "recovery-at-work",
        "Recovery at Work",
        "Employers across the North West pledge guaranteed interviews for people in recovery.",
        "merseyside",
        ["merseyside", "cumbria", "lancashire", "cheshire", "greater-manchester"],
        ["albert-lane-recruitment", "northern-employment", "nw-recovery-college"],
        "proposed",
        datetime.date(2026, 12, 1),
        None,
    ),
    (
        "recovery-college-courses",
        "Recovery College Courses",
        "Co-produced courses delivered in every recovery settlement of the federation.",
        "lancashire",
        ["lancashire", "cheshire", "cumbria", "greater-manchester", "merseyside"],
        ["nw-recovery-college", "nw-public-health"],
        "active",
        datetime.date(2022, 9, 5),
        None,
    ),
    (
        "family-voices",
        "Family Voices",
        "Families of people in recovery trained to speak at services' staff training days.",
        "merseyside",
        ["merseyside", "cheshire"],
        ["nw-peer-mentors", "wirral-recovery-families", "roodee-recovery-friends"],
        "ended",
        datetime.date(2023, 1, 9),
        datetime.date(2025, 3, 31),
    ),
]
