package demo

// Word lists the generators (this package's and bench/'s) draw from. Names
// are common US given names and surnames, with some of other origins;
// streets are common US street names.
var (
	// FirstNames are given names.
	FirstNames = []string{
		"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
		"William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen",
		"Charles", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret",
		"Donald", "Ashley", "Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
		"Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy", "Deborah", "Ronald", "Stephanie",
		"George", "Dorothy", "Jason", "Rebecca", "Edward", "Sharon", "Jeffrey", "Laura", "Ryan", "Cynthia",
		"Jacob", "Amy", "Gary", "Kathleen", "Nicholas", "Angela", "Eric", "Shirley", "Jonathan", "Brenda",
		"Stephen", "Emma", "Larry", "Anna", "Justin", "Pamela", "Scott", "Nicole", "Brandon", "Samantha",
		"Benjamin", "Katherine", "Samuel", "Christine", "Gregory", "Helen", "Alexander", "Debra", "Patrick", "Rachel",
		"Frank", "Carolyn", "Raymond", "Janet", "Jack", "Maria", "Dennis", "Catherine", "Jerry", "Heather",
		"Tyler", "Diane", "Aaron", "Olivia", "Jose", "Julie", "Adam", "Joyce", "Nathan", "Victoria",
		"Henry", "Ruth", "Zachary", "Virginia", "Douglas", "Lauren", "Peter", "Kelly", "Kyle", "Christina",
		"Noah", "Joan", "Ethan", "Evelyn", "Jeremy", "Judith", "Christian", "Andrea", "Walter", "Hannah",
		"Keith", "Megan", "Austin", "Cheryl", "Roger", "Jacqueline", "Terry", "Martha", "Sean", "Madison",
		"Gerald", "Teresa", "Carl", "Gloria", "Dylan", "Sara", "Harold", "Janice", "Jordan", "Ann",
		"Jesse", "Kathryn", "Bryan", "Abigail", "Lawrence", "Sophia", "Arthur", "Frances", "Gabriel", "Jean",
		"Bruce", "Alice", "Logan", "Judy", "Billy", "Isabella", "Joe", "Julia", "Alan", "Grace",
		"Juan", "Amber", "Elijah", "Denise", "Willie", "Danielle", "Albert", "Marilyn", "Wayne", "Beverly",
		"Randy", "Charlotte", "Mason", "Natalie", "Vincent", "Theresa", "Liam", "Diana", "Roy", "Brittany",
		"Bobby", "Doris", "Caleb", "Kayla", "Bradley", "Alexis", "Russell", "Lori", "Lucas", "Marie",
		"Wei", "Mei", "Hiroshi", "Yuki", "Raj", "Priya", "Mohammed", "Fatima", "Carlos", "Sofia",
		"Luis", "Camila", "Ahmed", "Aisha", "Dmitri", "Olga", "Kwame", "Ama", "Nguyen", "Linh",
	}

	// LastNames are surnames.
	LastNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
		"Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
		"Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
		"Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
		"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
		"Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker", "Cruz", "Edwards", "Collins", "Reyes",
		"Stewart", "Morris", "Morales", "Murphy", "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper",
		"Peterson", "Bailey", "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
		"Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza", "Ruiz", "Hughes",
		"Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers", "Long", "Ross", "Foster", "Jimenez",
		"Powell", "Jenkins", "Perry", "Russell", "Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes",
		"Gonzales", "Fisher", "Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
		"Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant", "Herrera", "Gibson",
		"Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray", "Ford", "Castro", "Marshall", "Owens",
		"Harrison", "Fernandez", "McDonald", "Woods", "Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen",
		"Freeman", "Webb", "Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
		"Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz", "Hunt", "Hicks",
		"Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd", "Rose", "Stone", "Salazar", "Fox",
		"Warren", "Mills", "Meyer", "Rice", "Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens",
		"Soto", "Weaver", "Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
		"O'Brien", "Wang", "Yamamoto", "Kowalski", "Novak", "Schneider", "Okafor", "Singh", "Cohen", "Dubois",
	}

	// StreetNames are street names without their suffix.
	StreetNames = []string{
		"Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park",
		"Walnut", "Sunset", "Lincoln", "Jackson", "Church", "River", "Highland", "Spring", "Meadow", "Forest",
		"Willow", "Ridge", "Valley", "Chestnut", "Franklin", "Jefferson", "Madison", "Adams", "Mill", "Center",
		"Broad", "Market", "Union", "Prospect", "Orchard", "Railroad", "Dogwood", "Magnolia", "Sycamore", "Birch",
		"Hickory", "Laurel", "Poplar", "Aspen", "Juniper", "Harbor", "Bay", "Canyon", "Mesa", "Prairie",
	}
	// StreetSuffixes are the usual abbreviated street types.
	StreetSuffixes = []string{"St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Way", "Pl", "Ter", "Cir", "Hwy"}
	relationships  = []string{"spouse", "partner", "parent", "sibling", "son", "daughter", "friend", "neighbor"}
	// residentialDomains are reserved for documentation (RFC 2606), so no
	// demo address can reach a real mailbox.
	residentialDomains = []string{"example.com", "example.net", "example.org"}
)

// Words for business names: "<surname> <trade> <form>" for small
// businesses, "<prefix> <sector> <form>" for enterprises.
var (
	trades = []struct{ Name, Industry string }{
		{"Plumbing", "Construction"}, {"Dental", "Healthcare"}, {"Bakery", "Food Service"},
		{"Auto Repair", "Automotive"}, {"Realty", "Real Estate"}, {"Landscaping", "Landscaping"},
		{"Accounting", "Professional Services"}, {"Coffee Roasters", "Food Service"},
		{"Veterinary Clinic", "Healthcare"}, {"Law Office", "Legal"}, {"Hardware", "Retail"},
		{"Print Shop", "Printing"}, {"Fitness", "Fitness"}, {"Insurance Agency", "Insurance"},
		{"Family Pharmacy", "Healthcare"}, {"Electric", "Construction"}, {"Brewing Company", "Food & Beverage"},
		{"Design Studio", "Creative Services"}, {"Florist", "Retail"}, {"Chiropractic", "Healthcare"},
	}
	smallForms        = []string{"LLC", "Inc.", "& Sons", "Co.", "& Associates", "Group"}
	enterprisePrefix  = []string{"Summit", "Pioneer", "Keystone", "Meridian", "Cascade", "Liberty", "Heartland", "Frontier", "Granite", "Atlas", "Blue Ridge", "Northstar", "Riverbend", "Evergreen", "Horizon", "Sterling"}
	enterpriseSectors = []struct{ Name, Industry string }{
		{"Health System", "Healthcare"}, {"Logistics", "Transportation"}, {"Manufacturing", "Manufacturing"},
		{"Financial", "Financial Services"}, {"Energy", "Energy"}, {"Foods", "Food Processing"},
		{"Hotels", "Hospitality"}, {"Data Centers", "Technology"}, {"Retail Group", "Retail"},
		{"Engineering", "Engineering"}, {"Media", "Media"}, {"Software", "Technology"},
	}
	enterpriseForms = []string{"Inc.", "Corporation", "Holdings", "LLC", "Partners"}
	govBodies       = []struct{ Pattern, Industry string }{
		{"City of %s", "Municipal Government"}, {"%s Public Library", "Public Library"},
		{"%s Unified School District", "Education"}, {"%s Water Department", "Public Utilities"},
		{"%s Fire Department", "Public Safety"}, {"%s Parks and Recreation", "Municipal Government"},
	}
	nonProfits = []struct{ Pattern, Industry string }{
		{"%s Food Bank", "Social Services"}, {"%s Habitat for Humanity", "Housing"},
		{"%s Community Foundation", "Philanthropy"}, {"%s Animal Shelter", "Animal Welfare"},
		{"%s Youth Soccer League", "Recreation"}, {"%s Historical Society", "Arts & Culture"},
		{"%s Free Clinic", "Healthcare"}, {"%s Symphony Orchestra", "Arts & Culture"},
	}
)
