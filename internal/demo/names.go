package demo

// Word lists the generator draws from. Names are common US given names and
// surnames; streets are common US street names.
var (
	firstNames = []string{
		"James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda",
		"David", "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica",
		"Thomas", "Sarah", "Christopher", "Karen", "Charles", "Lisa", "Daniel", "Nancy",
		"Matthew", "Betty", "Anthony", "Sandra", "Mark", "Margaret", "Donald", "Ashley",
		"Steven", "Kimberly", "Andrew", "Emily", "Paul", "Donna", "Joshua", "Michelle",
		"Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "Timothy", "Deborah",
		"Ronald", "Stephanie", "George", "Rebecca", "Jason", "Sharon", "Edward", "Laura",
		"Jeffrey", "Cynthia", "Ryan", "Dorothy", "Jacob", "Amy", "Nicholas", "Kathleen",
		"Gary", "Angela", "Eric", "Shirley", "Jonathan", "Emma", "Stephen", "Brenda",
		"Larry", "Pamela", "Justin", "Nicole", "Scott", "Anna", "Brandon", "Samantha",
		"Benjamin", "Katherine", "Samuel", "Christine", "Gregory", "Debra", "Alexander", "Rachel",
		"Patrick", "Carolyn", "Frank", "Janet", "Raymond", "Maria", "Jack", "Olivia",
		"Dennis", "Heather", "Jerry", "Helen", "Tyler", "Catherine", "Aaron", "Diane",
		"Jose", "Julie", "Adam", "Victoria", "Nathan", "Joyce", "Henry", "Lauren",
		"Zachary", "Kelly", "Douglas", "Christina", "Peter", "Ruth", "Kyle", "Joan",
		"Noah", "Virginia", "Ethan", "Judith", "Jeremy", "Evelyn", "Christian", "Hannah",
		"Walter", "Andrea", "Keith", "Megan", "Austin", "Cheryl", "Roger", "Jacqueline",
		"Terry", "Madison", "Sean", "Sophia", "Gerald", "Abigail", "Carl", "Teresa",
		"Dylan", "Isabella", "Harold", "Sara", "Jordan", "Janice", "Jesse", "Martha",
		"Bryan", "Gloria", "Lawrence", "Kathryn", "Arthur", "Ann", "Gabriel", "Charlotte",
		"Bruce", "Judy", "Logan", "Amber", "Billy", "Julia", "Joe", "Grace",
		"Alan", "Denise", "Juan", "Danielle", "Elijah", "Natalie", "Willie", "Alice",
		"Albert", "Marilyn", "Wayne", "Diana", "Randy", "Beverly", "Mason", "Jean",
		"Vincent", "Brittany", "Liam", "Theresa", "Roy", "Frances", "Bobby", "Kayla",
		"Caleb", "Alexis", "Bradley", "Tiffany", "Russell", "Lori", "Lucas", "Kathy",
	}
	lastNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
		"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
		"Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
		"Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
		"Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
		"Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
		"Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
		"Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy",
		"Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
		"Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
		"Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza",
		"Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers",
		"Long", "Ross", "Foster", "Jimenez", "Powell", "Jenkins", "Perry", "Russell",
		"Sullivan", "Bell", "Coleman", "Butler", "Henderson", "Barnes", "Gonzales", "Fisher",
		"Vasquez", "Simmons", "Romero", "Jordan", "Patterson", "Alexander", "Hamilton", "Graham",
		"Reynolds", "Griffin", "Wallace", "Moreno", "West", "Cole", "Hayes", "Bryant",
		"Herrera", "Gibson", "Ellis", "Tran", "Medina", "Aguilar", "Stevens", "Murray",
		"Ford", "Castro", "Marshall", "Owens", "Harrison", "Fernandez", "McDonald", "Woods",
		"Washington", "Kennedy", "Wells", "Vargas", "Henry", "Chen", "Freeman", "Webb",
		"Tucker", "Guzman", "Burns", "Crawford", "Olson", "Simpson", "Porter", "Hunter",
		"Gordon", "Mendez", "Silva", "Shaw", "Snyder", "Mason", "Dixon", "Munoz",
		"Hunt", "Hicks", "Holmes", "Palmer", "Wagner", "Black", "Robertson", "Boyd",
		"Rose", "Stone", "Salazar", "Fox", "Warren", "Mills", "Meyer", "Rice",
		"Schmidt", "Garza", "Daniels", "Ferguson", "Nichols", "Stephens", "Soto", "Weaver",
		"Ryan", "Gardner", "Payne", "Grant", "Dunn", "Kelley", "Spencer", "Hawkins",
	}
	streetNames = []string{
		"Main", "Oak", "Maple", "Cedar", "Pine", "Elm", "Washington", "Lake",
		"Hill", "Park", "Walnut", "Sunset", "Lincoln", "Jackson", "Church", "River",
		"Highland", "Madison", "Franklin", "Meadow", "Willow", "Spring", "Ridge", "Forest",
		"Jefferson", "Chestnut", "Center", "Adams", "Dogwood", "Hickory", "Magnolia", "Lakeview",
		"Valley", "Broad", "Mill", "Cherry", "Prospect", "Union", "Summit", "Grove",
	}
	streetSuffixes = []string{"St", "Ave", "Rd", "Dr", "Ln", "Blvd", "Ct", "Way", "Pl", "Ter"}
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
