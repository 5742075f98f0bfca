package main

import "github.com/ispstack/crm/customer"

// The vocabulary the generator draws from beyond demo's names and streets:
// mail domains, notes, and the kinds of organisations an ISP bills.

// mailDomains are the reserved example domains (RFC 2606): generated
// addresses must never reach a real mailbox.
var mailDomains = []string{
	"example.com", "example.com", "example.net", "example.org", "mail.example.com", "inbox.example.net",
}

var orgMailboxes = []string{"billing", "accounts", "office", "it", "admin", "info", "ap", "facilities"}

var relationships = []string{"spouse", "parent", "sibling", "child", "friend", "partner", "neighbor"}

var notes = []string{
	"Prefers calls after 5 pm.",
	"Gate code required for technician visits.",
	"Dog on premises; call before arrival.",
	"Requested paper invoices.",
	"Works from home; schedule maintenance on weekends.",
	"Hearing impaired: contact by SMS or email.",
	"Previous account merged into this one.",
	"Landlord approval on file for installation.",
}

var businessKinds = []string{
	"Plumbing", "Dental", "Auto Repair", "Bakery", "Law Office", "Accounting", "Hardware", "Pharmacy",
	"Veterinary Clinic", "Coffee", "Realty", "Construction", "Landscaping", "Insurance", "Print Shop",
	"Fitness", "Pizza", "Florist", "Electric", "Logistics", "Manufacturing", "Software", "Medical Group",
	"Brewing", "Motors", "Storage", "Consulting", "Design Studio", "Market", "Salon",
}

var govDepartments = []string{
	"Public Library", "Police Department", "Fire Department", "Public Works", "Town Hall", "Water Authority",
	"Parks and Recreation", "School District", "Municipal Court",
}

var nonProfitKinds = []string{
	"Community Foundation", "Food Bank", "Youth League", "Animal Rescue", "Arts Council", "Historical Society",
	"Family Services", "Literacy Project", "Free Clinic", "Church",
}

var industries = map[customer.Type][]string{
	customer.TypeSmallBusiness: {"retail", "healthcare", "hospitality", "professional services", "construction", "automotive", "food service", "real estate"},
	customer.TypeEnterprise:    {"manufacturing", "logistics", "finance", "healthcare", "technology", "energy", "retail"},
	customer.TypeGovernment:    {"public administration", "education", "public safety", "utilities"},
	customer.TypeNonProfit:     {"charity", "education", "religious", "community services", "arts"},
}

// areaCodes are real US area codes (NPA); every NXX 200–999 beneath them
// except service codes is a number libphonenumber accepts as valid.
var areaCodes = []int{
	201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 224, 225, 228,
	229, 231, 234, 239, 240, 248, 251, 252, 253, 254, 256, 260, 262, 267, 269, 270, 276, 281, 301, 302,
	303, 304, 305, 307, 308, 309, 310, 312, 313, 314, 315, 316, 317, 318, 319, 320, 321, 323, 325, 330,
	334, 336, 337, 339, 347, 351, 352, 360, 361, 386, 401, 402, 404, 405, 406, 407, 408, 409, 410, 412,
	413, 414, 415, 417, 419, 423, 425, 432, 434, 435, 440, 443, 469, 470, 475, 478, 479, 480, 484, 501,
	502, 503, 504, 505, 507, 508, 509, 510, 512, 513, 515, 516, 517, 518, 520, 530, 540, 541, 551, 559,
	561, 562, 563, 567, 570, 571, 573, 574, 580, 585, 586, 601, 602, 603, 605, 606, 607, 608, 609, 610,
	612, 614, 615, 616, 617, 618, 619, 620, 623, 626, 630, 631, 636, 641, 646, 650, 651, 660, 661, 662,
	678, 682, 701, 702, 703, 704, 706, 707, 708, 712, 713, 714, 715, 716, 717, 718, 719, 720, 724, 727,
	731, 732, 734, 740, 754, 757, 760, 763, 765, 770, 772, 773, 774, 775, 781, 785, 786, 801, 802, 803,
	804, 805, 806, 808, 810, 812, 813, 814, 815, 816, 817, 818, 828, 830, 831, 832, 843, 845, 847, 848,
	850, 856, 857, 858, 859, 860, 862, 863, 864, 865, 870, 872, 878, 901, 903, 904, 906, 907, 908, 909,
	910, 912, 913, 914, 915, 916, 917, 918, 919, 920, 925, 928, 931, 936, 937, 940, 941, 947, 949, 951,
	952, 954, 956, 970, 971, 972, 973, 978, 979, 980, 985, 989,
}
