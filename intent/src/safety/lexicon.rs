//! Who and what a sentence can be about, as the judgement of acts ([`super::acts`]) needs to
//! know it: people and animals (who can be hurt), grown-ups and grown-ups at work (who may use a
//! knife or give medicine), fairy-tale creatures and forces of nature (whose acts are stories),
//! body parts, and the things a child could hurt themselves with.
//!
//! A word belongs to classes (bits of a `u64`); every entry is a base form, and its inflections
//! (plurals, verb endings, common irregular forms) are generated once so that a lookup is one
//! hash probe on the word as written.

use std::collections::HashMap;
use std::sync::LazyLock;

pub const PERSON: u64 = 1 << 0;
/// Children (a subset of [`PERSON`]).
pub const CHILD: u64 = 1 << 1;
/// Grown-ups (a subset of [`PERSON`]).
pub const ADULT: u64 = 1 << 2;
/// Grown-ups a child trusts and tells things to: parents, grandparents, teachers.
pub const PARENT: u64 = 1 << 3;
/// Grown-ups at work, who handle knives, medicine and fire as part of the job.
pub const JOB: u64 = 1 << 4;
pub const ANIMAL: u64 = 1 << 5;
/// Animals that are also food in a kitchen ("the chef cut the chicken").
pub const FOOD_ANIMAL: u64 = 1 << 6;
/// Fairy-tale creatures: what they do is a story, and harm done to them is a hero's.
pub const MONSTER: u64 = 1 << 7;
/// Forces of nature and things that act without meaning to (the wave knocked me over).
pub const NATURE: u64 = 1 << 8;
/// Body parts that can be hurt, cut or broken.
pub const BODY: u64 = 1 << 9;
/// Hair, fur, feathers, nails: pulled in anger, cut at the hairdresser.
pub const BODY_SOFT: u64 = 1 << 10;
/// Private parts, unambiguous.
pub const PRIVATE: u64 = 1 << 11;
/// Bottoms: a word for the bath and for jokes, private only with undressing or secrecy.
pub const BOTTOM: u64 = 1 << 12;
pub const CLOTHES: u64 = 1 << 13;
pub const DRUG: u64 = 1 << 14;
/// Poisonous to eat or drink: cleaning things, paint, fuel.
pub const CHEMICAL: u64 = 1 << 15;
/// Small things that must not be swallowed.
pub const SMALL: u64 = 1 << 16;
/// Wild berries and mushrooms.
pub const WILD_FOOD: u64 = 1 << 17;
/// Things that make fire.
pub const FIRE: u64 = 1 << 18;
/// Hot things that burn a hand.
pub const HOT: u64 = 1 << 19;
pub const ELECTRIC: u64 = 1 << 20;
/// Machines with moving parts.
pub const MACHINE: u64 = 1 << 21;
pub const SHARP: u64 = 1 << 22;
/// High places to fall from.
pub const HEIGHT: u64 = 1 << 23;
/// Deep water to drown in.
pub const WATER: u64 = 1 << 24;
pub const ICE: u64 = 1 << 25;
pub const ROAD: u64 = 1 << 26;
/// Closed spaces a child can be shut in and not get out of.
pub const TRAP: u64 = 1 << 27;
/// Dark or small places a creature can be locked in.
pub const CONFINE: u64 = 1 << 28;
pub const FOOD: u64 = 1 << 29;
/// Things thrown in play.
pub const PLAY_THING: u64 = 1 << 30;
/// Plants: their dying is the seasons.
pub const PLANT: u64 = 1 << 31;
/// Machines and things whose "dying" is running out.
pub const DEVICE: u64 = 1 << 32;
/// Words used to humiliate.
pub const INSULT: u64 = 1 << 33;
/// What children are mocked for.
pub const APPEARANCE: u64 = 1 << 34;
/// Pronouns for people as objects (him, her, them, you, me).
pub const PRONOUN: u64 = 1 << 35;
/// Verbs (enough of them to find where one phrase ends and the next begins).
pub const VERB: u64 = 1 << 36;
/// Insides that a picture book never shows.
pub const GORE_PART: u64 = 1 << 37;
/// Things a child could be lured with.
pub const LURE: u64 = 1 << 38;
/// Vehicles a child could be taken away in.
pub const VEHICLE: u64 = 1 << 39;
/// Things that cover a face or a neck and stop breathing.
pub const SMOTHER: u64 = 1 << 40;
/// Secrets that are fine: surprises and presents.
pub const SURPRISE: u64 = 1 << 41;
/// Things that are not alive and act without meaning to (an axe, a car, a rock).
pub const THING: u64 = 1 << 42;

/// Any class that makes a word a noun.
pub const NOUN: u64 = PERSON
    | ANIMAL
    | MONSTER
    | NATURE
    | BODY
    | BODY_SOFT
    | PRIVATE
    | BOTTOM
    | CLOTHES
    | DRUG
    | CHEMICAL
    | SMALL
    | WILD_FOOD
    | FIRE
    | HOT
    | ELECTRIC
    | MACHINE
    | SHARP
    | HEIGHT
    | WATER
    | ICE
    | ROAD
    | TRAP
    | CONFINE
    | FOOD
    | PLAY_THING
    | PLANT
    | DEVICE
    | GORE_PART
    | LURE
    | VEHICLE
    | SMOTHER
    | SURPRISE
    | THING;

const CHILDREN: &[&str] = &[
    "boy",
    "girl",
    "kid",
    "child",
    "baby",
    "toddler",
    "infant",
    "newborn",
    "son",
    "daughter",
    "pupil",
    "student",
    "classmate",
    "brother",
    "sister",
    "sibling",
    "twin",
    "cousin",
    "friend",
    "schoolfriend",
    "playmate",
    "teammate",
    "youngster",
    "lad",
    "lass",
    "niece",
    "nephew",
    "bestie",
    "bully",
];

const GROWN_UPS: &[&str] = &[
    "man",
    "woman",
    "lady",
    "gentleman",
    "guy",
    "uncle",
    "aunt",
    "auntie",
    "aunty",
    "babysitter",
    "nanny",
    "neighbour",
    "neighbor",
    "stranger",
    "husband",
    "wife",
    "boyfriend",
    "girlfriend",
    "coach",
    "adult",
    "grownup",
    "king",
    "queen",
    "soldier",
    "prisoner",
    "hunter",
    "camper",
    "swimmer",
    "villager",
    "sailor",
    "captain",
    "pirate",
    "clown",
    "magician",
    "astronaut",
    "knight",
    "prince",
    "princess",
    "player",
    "teenager",
    "teen",
    "human",
    "person",
    "people",
    "family",
];

const PARENTS: &[&str] = &[
    "mum",
    "mom",
    "mummy",
    "mommy",
    "mother",
    "mama",
    "mam",
    "ma",
    "dad",
    "daddy",
    "father",
    "papa",
    "pa",
    "parent",
    "grandparent",
    "grandma",
    "grandmother",
    "granny",
    "gran",
    "nana",
    "nan",
    "grandpa",
    "grandfather",
    "grandad",
    "granddad",
    "gramps",
    "grampa",
    "teacher",
    "carer",
    "guardian",
    "grownup",
    "adult",
];

const JOBS: &[&str] = &[
    "doctor",
    "nurse",
    "vet",
    "dentist",
    "chef",
    "cook",
    "baker",
    "butcher",
    "firefighter",
    "fireman",
    "firewoman",
    "electrician",
    "plumber",
    "builder",
    "farmer",
    "hairdresser",
    "barber",
    "lifeguard",
    "police",
    "policeman",
    "policewoman",
    "officer",
    "paramedic",
    "surgeon",
    "zookeeper",
    "keeper",
    "ranger",
    "scientist",
    "pharmacist",
    "chemist",
    "lumberjack",
    "woodcutter",
    "carpenter",
    "gardener",
    "shepherd",
    "fisherman",
    "beekeeper",
    "shearer",
    "gamekeeper",
];

const ANIMALS: &[&str] = &[
    "animal",
    "pet",
    "creature",
    "dog",
    "puppy",
    "pup",
    "doggy",
    "doggie",
    "cat",
    "kitten",
    "kitty",
    "pussycat",
    "bunny",
    "rabbit",
    "hare",
    "hamster",
    "gerbil",
    "mouse",
    "rat",
    "bird",
    "birdie",
    "chick",
    "duck",
    "duckling",
    "goose",
    "gosling",
    "swan",
    "hen",
    "chicken",
    "rooster",
    "cockerel",
    "turkey",
    "owl",
    "robin",
    "sparrow",
    "pigeon",
    "parrot",
    "budgie",
    "canary",
    "crow",
    "eagle",
    "penguin",
    "fish",
    "goldfish",
    "frog",
    "froggy",
    "toad",
    "tadpole",
    "turtle",
    "tortoise",
    "lizard",
    "snake",
    "horse",
    "pony",
    "foal",
    "donkey",
    "cow",
    "calf",
    "bull",
    "pig",
    "piglet",
    "sheep",
    "lamb",
    "goat",
    "deer",
    "fawn",
    "fox",
    "cub",
    "wolf",
    "bear",
    "lion",
    "tiger",
    "elephant",
    "monkey",
    "ape",
    "gorilla",
    "giraffe",
    "zebra",
    "hippo",
    "rhino",
    "kangaroo",
    "koala",
    "panda",
    "squirrel",
    "hedgehog",
    "badger",
    "otter",
    "beaver",
    "dolphin",
    "whale",
    "seal",
    "shark",
    "octopus",
    "crab",
    "lobster",
    "jellyfish",
    "starfish",
    "snail",
    "slug",
    "worm",
    "caterpillar",
    "butterfly",
    "moth",
    "bee",
    "bumblebee",
    "wasp",
    "ant",
    "ladybird",
    "ladybug",
    "spider",
    "beetle",
    "grasshopper",
    "dragonfly",
    "firefly",
    "bug",
    "insect",
    "cheetah",
    "leopard",
    "gazelle",
    "antelope",
    "camel",
    "llama",
    "alpaca",
    "ferret",
    "chinchilla",
    "parakeet",
    "mole",
    "prey",
    "calf",
    "kitty",
    "hamster",
    "dinosaur",
    "baby bird",
    "guinea pig",
];

const FOOD_ANIMALS: &[&str] =
    &["chicken", "turkey", "fish", "lamb", "crab", "lobster", "prawn", "shrimp", "salmon", "tuna", "pig", "duck"];

const MONSTERS: &[&str] = &[
    "dragon",
    "troll",
    "giant",
    "ogre",
    "witch",
    "wizard",
    "goblin",
    "monster",
    "zombie",
    "ghost",
    "robot",
    "alien",
    "dinosaur",
    "trex",
    "rex",
    "villain",
    "beast",
    "demon",
    "vampire",
    "werewolf",
    "gremlin",
    "orc",
    "imp",
    "sea monster",
    "bad wolf",
    "mermaid",
    "merman",
    "fairy",
    "elf",
    "pixie",
    "unicorn",
    "genie",
    "gnome",
    "skeleton",
    "superhero",
    "cyclops",
    "kraken",
    "yeti",
    "bogeyman",
];

const NATURES: &[&str] = &[
    "wave",
    "wind",
    "storm",
    "rain",
    "lightning",
    "thunder",
    "volcano",
    "earthquake",
    "tornado",
    "hurricane",
    "flood",
    "sun",
    "frost",
    "snow",
    "hail",
    "avalanche",
    "tide",
    "current",
    "gust",
    "breeze",
];

const THINGS: &[&str] = &[
    "car",
    "truck",
    "lorry",
    "bus",
    "train",
    "tractor",
    "axe",
    "rock",
    "stone",
    "branch",
    "it",
    "door",
    "nail",
    "arrow",
    "hammer",
    "stick",
    "tree",
    "house",
    "wall",
    "drum",
    "rope",
    "dough",
    "lemon",
    "toothpaste",
    "swing",
    "hole",
    "paper",
    "button",
    "sofa",
    "toy",
    "teddy",
    "doll",
    "sandcastle",
    "drawing",
    "picture",
    "tower",
    "castle",
    "shield",
    "sword",
    "fence",
    "goal",
    "basket",
    "target",
    "bin",
    "jar",
    "bag",
    "bottle",
    "pencil",
    "bike",
    "shoe",
    "boot",
    "glass",
    "spoon",
];

const BODY_PARTS: &[&str] = &[
    "head", "face", "eye", "eyeball", "nose", "ear", "mouth", "lip", "tongue", "neck", "throat", "arm", "hand",
    "finger", "thumb", "wrist", "elbow", "shoulder", "leg", "knee", "foot", "toe", "ankle", "tummy", "belly",
    "stomach", "back", "chest", "skin", "bone", "skull", "brain", "tail", "paw", "wing", "claw", "hoof", "fin",
    "flipper", "body", "cheek", "chin", "forehead", "heel", "hip", "rib", "spine", "beak", "tooth", "heart", "leg",
];

const BODY_SOFT_PARTS: &[&str] = &[
    "hair",
    "fur",
    "feather",
    "whisker",
    "wool",
    "nail",
    "fingernail",
    "toenail",
    "mane",
    "fringe",
    "beard",
    "moustache",
    "mustache",
    "eyelash",
    "eyebrow",
    "plait",
    "pigtail",
    "ponytail",
];

const PRIVATES: &[&str] = &[
    "privates",
    "private part",
    "private bit",
    "penis",
    "vagina",
    "genital",
    "genitals",
    "crotch",
    "groin",
    "boob",
    "breast",
    "nipple",
    "titty",
    "tit",
];

const BOTTOMS: &[&str] = &["bum", "bottom", "butt", "backside", "bum bum", "booty", "willy", "winkie", "wee wee"];

const CLOTHING: &[&str] = &[
    "clothes",
    "pants",
    "trousers",
    "underwear",
    "underpants",
    "knickers",
    "panties",
    "pyjamas",
    "pajamas",
    "nightie",
    "nightdress",
    "dress",
    "skirt",
    "shirt",
    "top",
    "tshirt",
    "shorts",
    "swimsuit",
    "costume",
    "nappy",
    "diaper",
    "vest",
    "bra",
    "jumper",
    "sweater",
    "jeans",
    "leggings",
    "clothing",
    "everything",
];

const DRUGS: &[&str] = &[
    "pill",
    "tablet",
    "medicine",
    "medication",
    "capsule",
    "vitamin",
    "syrup",
    "painkiller",
    "lozenge",
    "gummy",
    "sleeping pill",
    "cough syrup",
];

const CHEMICALS: &[&str] = &[
    "bleach",
    "detergent",
    "cleaner",
    "disinfectant",
    "shampoo",
    "soap",
    "perfume",
    "aftershave",
    "mouthwash",
    "paint",
    "glue",
    "petrol",
    "gasoline",
    "diesel",
    "kerosene",
    "paraffin",
    "antifreeze",
    "poison",
    "weedkiller",
    "weed killer",
    "pesticide",
    "rat poison",
    "pod",
    "washing powder",
    "washing liquid",
    "dishwasher tablet",
    "laundry pod",
    "lighter fluid",
    "nail polish",
    "varnish",
    "turpentine",
    "ammonia",
    "chlorine",
    "acid",
    "toilet cleaner",
    "drain cleaner",
    "fertiliser",
    "fertilizer",
    "lamp oil",
    "cleaning spray",
    "cleaning stuff",
    "cleaning liquid",
    "hand sanitiser",
    "sanitiser",
    "sanitizer",
];

const SMALLS: &[&str] = &[
    "battery",
    "button battery",
    "magnet",
    "coin",
    "marble",
    "bead",
    "button",
    "pin",
    "needle",
    "screw",
    "tack",
    "pebble",
];

const WILD_FOODS: &[&str] = &["berry", "mushroom", "toadstool", "fungus", "fungi"];

const FIRES: &[&str] = &[
    "match",
    "matchstick",
    "lighter",
    "candle",
    "fire",
    "flame",
    "firework",
    "sparkler",
    "firecracker",
    "bonfire",
    "gas",
    "petrol",
    "lighter fluid",
];

const HOTS: &[&str] = &[
    "stove",
    "hob",
    "oven",
    "cooker",
    "iron",
    "kettle",
    "toaster",
    "pan",
    "fire",
    "flame",
    "barbecue",
    "bbq",
    "grill",
    "fireplace",
];

const ELECTRICS: &[&str] = &[
    "socket",
    "plug socket",
    "outlet",
    "plug",
    "wire",
    "cable",
    "power line",
    "pylon",
    "electric fence",
    "toaster",
    "power point",
    "fuse box",
    "electricity",
    "fusebox",
    "hairdryer",
    "hair dryer",
    "charger",
    "extension lead",
];

const MACHINES: &[&str] = &["fan", "blender", "shredder", "lawnmower", "mower", "mixer", "drill", "escalator"];

const SHARPS: &[&str] =
    &["knife", "scissors", "razor", "blade", "needle", "axe", "saw", "dagger", "scalpel", "broken glass", "pin"];

const HEIGHTS: &[&str] = &[
    "window",
    "windowsill",
    "sill",
    "ledge",
    "roof",
    "rooftop",
    "balcony",
    "railing",
    "banister",
    "bookshelf",
    "bookcase",
    "shelf",
    "wardrobe",
    "cliff",
    "bridge",
    "top bunk",
    "chimney",
    "fridge",
    "window ledge",
    "top",
];

const WATERS: &[&str] = &[
    "lake",
    "river",
    "pond",
    "sea",
    "ocean",
    "pool",
    "canal",
    "stream",
    "deep end",
    "quarry",
    "reservoir",
    "water",
    "bath",
    "bathtub",
    "well",
    "waves",
];

const ICES: &[&str] = &["ice", "frozen pond", "frozen lake", "frozen river", "thin ice"];

const ROADS: &[&str] = &[
    "road",
    "street",
    "traffic",
    "motorway",
    "highway",
    "railway",
    "track",
    "train track",
    "railway line",
    "busy road",
    "crossing",
    "car park",
];

const TRAPS: &[&str] = &[
    "fridge",
    "freezer",
    "washing machine",
    "dryer",
    "tumble dryer",
    "dishwasher",
    "oven",
    "microwave",
    "car boot",
    "trunk",
    "suitcase",
    "chest freezer",
    "plastic bag",
    "toilet",
];

const CONFINES: &[&str] = &[
    "cupboard", "closet", "wardrobe", "shed", "box", "basement", "cellar", "attic", "cage", "garage", "cupboard",
    "dark", "jar", "loft", "dungeon", "car",
];

const FOODS: &[&str] = &[
    "carrot",
    "onion",
    "potato",
    "tomato",
    "bread",
    "cake",
    "apple",
    "banana",
    "orange",
    "lemon",
    "vegetable",
    "veg",
    "fruit",
    "meat",
    "ham",
    "cheese",
    "butter",
    "pie",
    "pizza",
    "sandwich",
    "crust",
    "dough",
    "cookie",
    "biscuit",
    "pancake",
    "toast",
    "egg",
    "salad",
    "soup",
    "pumpkin",
    "melon",
    "watermelon",
    "cucumber",
    "pepper",
    "steak",
    "sausage",
    "noodle",
    "pasta",
    "spaghetti",
    "wheat",
    "corn",
    "herb",
    "lettuce",
    "cabbage",
    "broccoli",
    "strawberry",
    "blueberry",
    "raspberry",
    "cherry",
    "grape",
    "pear",
    "peach",
    "plum",
    "pineapple",
    "mango",
    "sweet",
    "candy",
    "chocolate",
    "marshmallow",
    "lunch",
    "dinner",
    "breakfast",
    "turkey",
    "roast",
    "oats",
    "porridge",
    "jam",
    "honey",
    "cereal",
    "popcorn",
    "icecream",
    "ice cream",
    "lolly",
    "lollipop",
    "treat",
];

const PLAY_THINGS: &[&str] = &[
    "ball",
    "pillow",
    "cushion",
    "snowball",
    "balloon",
    "water balloon",
    "beanbag",
    "frisbee",
    "confetti",
    "petal",
    "bubble",
    "kiss",
    "leaf",
    "feather",
    "pebble",
    "stick",
    "bean bag",
    "teddy",
    "flower",
];

const PLANTS: &[&str] = &[
    "leaf",
    "flower",
    "plant",
    "tree",
    "grass",
    "seed",
    "crop",
    "weed",
    "bush",
    "rose",
    "daisy",
    "sunflower",
    "tomato plant",
    "garden",
    "vegetable",
    "houseplant",
    "cactus",
    "tulip",
    "fern",
    "moss",
    "petal",
    "bud",
    "shoot",
];

const DEVICES: &[&str] = &[
    "battery",
    "phone",
    "torch",
    "flashlight",
    "car",
    "engine",
    "light",
    "computer",
    "tablet",
    "laptop",
    "bulb",
    "fire",
    "candle",
    "campfire",
    "music",
    "song",
    "radio",
    "tv",
    "television",
    "toy",
    "clock",
    "watch",
    "day",
    "summer",
    "wind",
    "star",
    "conversation",
    "party",
    "signal",
    "line",
    "motor",
    "laughter",
    "noise",
    "sound",
    "game",
];

const INSULTS: &[&str] = &[
    "ugly",
    "fat",
    "stupid",
    "dumb",
    "smelly",
    "stinky",
    "weird",
    "freak",
    "loser",
    "gross",
    "disgusting",
    "horrible",
    "idiot",
    "crybaby",
    "useless",
    "worthless",
    "names",
    "dummy",
    "nasty",
    "yucky",
    "hideous",
    "pathetic",
    "rubbish",
    "silly baby",
    "baby",
    "fool",
    "nerd",
    "geek",
    "weirdo",
    "twit",
    "cry baby",
    "pig",
    "cow",
];

const APPEARANCES: &[&str] = &[
    "clothes",
    "skin",
    "glasses",
    "hair",
    "teeth",
    "weight",
    "voice",
    "shoes",
    "colour",
    "color",
    "face",
    "nose",
    "ears",
    "wheelchair",
    "accent",
    "body",
    "size",
    "freckles",
    "braces",
    "spots",
    "lunch",
    "name",
    "family",
    "house",
];

const PRONOUNS: &[&str] = &[
    "him",
    "her",
    "them",
    "me",
    "you",
    "us",
    "himself",
    "herself",
    "myself",
    "yourself",
    "yourselves",
    "themselves",
    "ourselves",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "each other",
];

const GORE_PARTS: &[&str] = &[
    "guts",
    "gut",
    "intestine",
    "innards",
    "entrails",
    "brain",
    "brains",
    "eyeball",
    "insides",
    "flesh",
    "skull",
    "bone",
    "organ",
    "vein",
    "liver",
    "kidney",
    "lung",
    "heart",
];

const LURES: &[&str] = &[
    "candy",
    "sweet",
    "sweetie",
    "lolly",
    "lollipop",
    "chocolate",
    "puppy",
    "kitten",
    "present",
    "gift",
    "toy",
    "treat",
    "ice cream",
    "icecream",
    "game",
    "money",
    "surprise",
];

const VEHICLES: &[&str] =
    &["car", "van", "truck", "lorry", "taxi", "bus", "boat", "minibus", "jeep", "motorbike", "motorcycle"];

const SMOTHERS: &[&str] = &[
    "pillow",
    "bag",
    "plastic bag",
    "blanket",
    "tape",
    "rope",
    "string",
    "cord",
    "scarf",
    "belt",
    "cushion",
    "hand",
    "sock",
    "towel",
    "cable",
    "wire",
];

const SURPRISES: &[&str] =
    &["surprise", "present", "gift", "party", "birthday", "card", "cake", "secret santa", "treasure", "hideout", "den"];

/// Verbs, base forms: the judgement's own verbs and common ones, enough to tell where a phrase
/// ends ("the boy kicked the puppy AND LAUGHED").
const VERBS: &[&str] = &[
    // Harm.
    "hit",
    "knock",
    "bop",
    "bonk",
    "thwack",
    "pummel",
    "headbutt",
    "slam",
    "kick",
    "punch",
    "slap",
    "smack",
    "spank",
    "whack",
    "thump",
    "bash",
    "wallop",
    "smash",
    "crush",
    "squash",
    "squish",
    "stomp",
    "stamp",
    "step",
    "trample",
    "jump",
    "sit",
    "push",
    "shove",
    "trip",
    "pinch",
    "squeeze",
    "shake",
    "throw",
    "toss",
    "hurl",
    "fling",
    "chuck",
    "drop",
    "poke",
    "prod",
    "jab",
    "scratch",
    "claw",
    "bite",
    "nip",
    "tear",
    "rip",
    "pull",
    "yank",
    "twist",
    "break",
    "snap",
    "hurt",
    "harm",
    "injure",
    "wound",
    "attack",
    "beat",
    "strike",
    "burn",
    "scald",
    "cut",
    "slice",
    "chop",
    "hack",
    "saw",
    "stab",
    "kill",
    "murder",
    "strangle",
    "choke",
    "drown",
    "smother",
    "suffocate",
    "torture",
    "whip",
    "lash",
    "flog",
    "hang",
    "poison",
    "electrocute",
    "zap",
    "starve",
    "tease",
    "bully",
    "mock",
    "torment",
    "lock",
    "shut",
    "trap",
    "tie",
    "spit",
    "pee",
    "wee",
    "pour",
    "spray",
    "feed",
    "microwave",
    "freeze",
    "boil",
    "cook",
    "bake",
    "fry",
    "roast",
    "flush",
    "bury",
    "sting",
    "peck",
    "swing",
    "grab",
    "ride",
    "drive",
    "run",
    "squash",
    "crunch",
    "maul",
    "butcher",
    "skin",
    "pluck",
    "stick",
    "press",
    "hold",
    "dunk",
    "slam",
    "stone",
    "pelt",
    "hunt",
    "catch",
    "chase",
    "eat",
    "swallow",
    "gobble",
    // Danger.
    "take",
    "drink",
    "chew",
    "taste",
    "try",
    "lick",
    "sip",
    "gulp",
    "munch",
    "suck",
    "have",
    "play",
    "light",
    "strike",
    "flick",
    "use",
    "make",
    "start",
    "set",
    "touch",
    "put",
    "climb",
    "lean",
    "stand",
    "walk",
    "dangle",
    "balance",
    "swim",
    "dive",
    "wade",
    "paddle",
    "skate",
    "slide",
    "cross",
    "dart",
    "lie",
    "hide",
    "crawl",
    "get",
    "go",
    "come",
    "follow",
    "leave",
    "sneak",
    "wander",
    "open",
    "unbuckle",
    "undo",
    "turn",
    "keep",
    "tell",
    "give",
    "send",
    "show",
    "meet",
    "offer",
    "find",
    // Cruelty and the body.
    "laugh",
    "point",
    "giggle",
    "sneer",
    "call",
    "say",
    "whisper",
    "steal",
    "snatch",
    "ruin",
    "wreck",
    "leave",
    "ignore",
    "kiss",
    "rub",
    "stroke",
    "wash",
    "undress",
    "remove",
    "unzip",
    "lift",
    "see",
    "look",
    "watch",
    "photograph",
    "film",
    "tickle",
    "hug",
    "cuddle",
    // Common verbs.
    "be",
    "do",
    "want",
    "like",
    "love",
    "need",
    "know",
    "think",
    "ask",
    "help",
    "fall",
    "fly",
    "cry",
    "scream",
    "shout",
    "sing",
    "dance",
    "smile",
    "sleep",
    "wake",
    "bring",
    "carry",
    "pick",
    "build",
    "draw",
    "paint",
    "read",
    "write",
    "win",
    "lose",
    "wait",
    "stay",
    "live",
    "die",
    "grow",
    "become",
    "begin",
    "stop",
    "move",
    "roar",
    "hop",
    "splash",
    "sail",
    "float",
    "sink",
    "fill",
    "spill",
    "mix",
    "stir",
    "plant",
    "wear",
    "dress",
    "bathe",
    "brush",
    "comb",
    "clap",
    "knock",
    "bang",
    "crash",
    "roll",
    "bounce",
    "skip",
    "wiggle",
    "crawl",
    "tiptoe",
    "blow",
    "explode",
    "rumble",
    "fix",
    "clean",
    "visit",
    "share",
    "bark",
    "purr",
    "sneeze",
    "snore",
    "rescue",
    "save",
    "warm",
    "toast",
    "spin",
    "wave",
    "nibble",
    "pop",
    "fizz",
    "melt",
    "rot",
    "bleed",
    "burst",
    "pile",
    "split",
    "squirt",
    "gush",
    "spurt",
    "rise",
    "shine",
    "glow",
    "hear",
    "smell",
    "feel",
    "seem",
    "let",
    "decide",
    "learn",
    "teach",
    "train",
    "check",
    "fetch",
    "lick",
    "swat",
    "scare",
    "frighten",
    "plug",
    "wet",
    "smell",
    "hate",
    "belong",
    "promise",
    "dare",
    "mean",
    "happen",
    "sound",
    "look",
];

/// Irregular verb forms, as (form, base).
const IRREGULAR: &[(&str, &str)] = &[
    ("threw", "throw"),
    ("thrown", "throw"),
    ("bit", "bite"),
    ("bitten", "bite"),
    ("ate", "eat"),
    ("eaten", "eat"),
    ("took", "take"),
    ("taken", "take"),
    ("drank", "drink"),
    ("drunk", "drink"),
    ("swam", "swim"),
    ("swum", "swim"),
    ("ran", "run"),
    ("went", "go"),
    ("gone", "go"),
    ("got", "get"),
    ("gotten", "get"),
    ("shook", "shake"),
    ("shaken", "shake"),
    ("tore", "tear"),
    ("torn", "tear"),
    ("stuck", "stick"),
    ("struck", "strike"),
    ("stricken", "strike"),
    ("fed", "feed"),
    ("left", "leave"),
    ("lit", "light"),
    ("lighted", "light"),
    ("burnt", "burn"),
    ("broke", "break"),
    ("broken", "break"),
    ("hung", "hang"),
    ("held", "hold"),
    ("stole", "steal"),
    ("stolen", "steal"),
    ("spat", "spit"),
    ("hid", "hide"),
    ("hidden", "hide"),
    ("beaten", "beat"),
    ("fell", "fall"),
    ("fallen", "fall"),
    ("froze", "freeze"),
    ("frozen", "freeze"),
    ("swung", "swing"),
    ("slid", "slide"),
    ("bled", "bleed"),
    ("flung", "fling"),
    ("drove", "drive"),
    ("driven", "drive"),
    ("rode", "ride"),
    ("ridden", "ride"),
    ("wore", "wear"),
    ("worn", "wear"),
    ("sat", "sit"),
    ("stood", "stand"),
    ("made", "make"),
    ("told", "tell"),
    ("saw", "see"),
    ("seen", "see"),
    ("gave", "give"),
    ("given", "give"),
    ("came", "come"),
    ("caught", "catch"),
    ("brought", "bring"),
    ("crept", "creep"),
    ("kept", "keep"),
    ("slept", "sleep"),
    ("woke", "wake"),
    ("woken", "wake"),
    ("spun", "spin"),
    ("dug", "dig"),
    ("drew", "draw"),
    ("drawn", "draw"),
    ("blew", "blow"),
    ("blown", "blow"),
    ("flew", "fly"),
    ("flown", "fly"),
    ("grew", "grow"),
    ("grown", "grow"),
    ("knew", "know"),
    ("known", "know"),
    ("showed", "show"),
    ("shown", "show"),
    ("found", "find"),
    ("felt", "feel"),
    ("lost", "lose"),
    ("won", "win"),
    ("sang", "sing"),
    ("sung", "sing"),
    ("began", "begin"),
    ("begun", "begin"),
    ("became", "become"),
    ("was", "be"),
    ("were", "be"),
    ("is", "be"),
    ("are", "be"),
    ("am", "be"),
    ("been", "be"),
    ("being", "be"),
    ("had", "have"),
    ("has", "have"),
    ("did", "do"),
    ("does", "do"),
    ("done", "do"),
    ("said", "say"),
    ("thought", "think"),
    ("heard", "hear"),
    ("meant", "mean"),
    ("met", "meet"),
    ("sent", "send"),
    ("spent", "spend"),
    ("taught", "teach"),
    ("fought", "fight"),
    ("bought", "buy"),
    ("sold", "sell"),
    ("shot", "shoot"),
    ("wrote", "write"),
    ("written", "write"),
    ("rose", "rise"),
    ("risen", "rise"),
    ("shone", "shine"),
    ("stung", "sting"),
    ("hurt", "hurt"),
    ("hit", "hit"),
    ("cut", "cut"),
    ("put", "put"),
    ("set", "set"),
    ("shut", "shut"),
    ("let", "let"),
    ("split", "split"),
    ("burst", "burst"),
    ("lay", "lie"),
    ("lain", "lie"),
    ("dove", "dive"),
    ("snuck", "sneak"),
    ("ground", "grind"),
    ("led", "lead"),
    ("laid", "lay"),
    ("undid", "undo"),
    ("undone", "undo"),
    ("forgot", "forget"),
    ("forgotten", "forget"),
];

/// Irregular plurals, as (plural, singular).
const IRREGULAR_PLURAL: &[(&str, &str)] = &[
    ("mice", "mouse"),
    ("geese", "goose"),
    ("children", "child"),
    ("kids", "kid"),
    ("men", "man"),
    ("women", "woman"),
    ("teeth", "tooth"),
    ("feet", "foot"),
    ("knives", "knife"),
    ("wolves", "wolf"),
    ("calves", "calf"),
    ("leaves", "leaf"),
    ("shelves", "shelf"),
    ("lives", "life"),
    ("elves", "elf"),
    ("halves", "half"),
    ("fungi", "fungus"),
    ("policemen", "policeman"),
    ("firemen", "fireman"),
    ("fishermen", "fisherman"),
    ("gentlemen", "gentleman"),
    ("grownups", "grownup"),
];

const TABLES: &[(&[&str], u64)] = &[
    (CHILDREN, PERSON | CHILD),
    (GROWN_UPS, PERSON | ADULT),
    (PARENTS, PERSON | ADULT | PARENT),
    (JOBS, PERSON | ADULT | JOB),
    (ANIMALS, ANIMAL),
    (FOOD_ANIMALS, FOOD_ANIMAL),
    (MONSTERS, MONSTER),
    (NATURES, NATURE),
    (THINGS, THING),
    (BODY_PARTS, BODY),
    (BODY_SOFT_PARTS, BODY_SOFT),
    (PRIVATES, PRIVATE),
    (BOTTOMS, BOTTOM),
    (CLOTHING, CLOTHES),
    (DRUGS, DRUG),
    (CHEMICALS, CHEMICAL),
    (SMALLS, SMALL),
    (WILD_FOODS, WILD_FOOD),
    (FIRES, FIRE),
    (HOTS, HOT),
    (ELECTRICS, ELECTRIC),
    (MACHINES, MACHINE),
    (SHARPS, SHARP),
    (HEIGHTS, HEIGHT),
    (WATERS, WATER),
    (ICES, ICE),
    (ROADS, ROAD),
    (TRAPS, TRAP),
    (CONFINES, CONFINE),
    (FOODS, FOOD),
    (PLAY_THINGS, PLAY_THING),
    (PLANTS, PLANT),
    (DEVICES, DEVICE),
    (INSULTS, INSULT),
    (APPEARANCES, APPEARANCE),
    (PRONOUNS, PRONOUN),
    (GORE_PARTS, GORE_PART),
    (LURES, LURE),
    (VEHICLES, VEHICLE),
    (SMOTHERS, SMOTHER),
    (SURPRISES, SURPRISE),
    (VERBS, VERB),
];

/// Every base form with its classes (entries of several words, "guinea pig", are keyed with
/// one space).
static BASES: LazyLock<HashMap<&'static str, u64>> = LazyLock::new(|| {
    let mut bases: HashMap<&'static str, u64> = HashMap::new();
    for (words, class) in TABLES {
        for w in *words {
            *bases.entry(w).or_default() |= class;
        }
    }
    bases
});

/// Written forms (inflections included) to base forms. A form made from several bases keeps all
/// of their classes (so "saw" is a tool and a verb).
static FORMS: LazyLock<HashMap<String, Vec<&'static str>>> = LazyLock::new(|| {
    let mut forms: HashMap<String, Vec<&'static str>> = HashMap::new();
    let mut add = |form: String, base: &'static str| {
        let e = forms.entry(form).or_default();
        if !e.contains(&base) {
            e.push(base);
        }
    };
    for (&base, &classes) in BASES.iter() {
        add(base.to_string(), base);
        if classes & NOUN != 0 {
            for p in plurals(base) {
                add(p, base);
            }
        }
        if classes & VERB != 0 {
            for f in verb_forms(base) {
                add(f, base);
            }
        }
    }
    for (form, base) in IRREGULAR.iter().chain(IRREGULAR_PLURAL) {
        if let Some((&b, _)) = BASES.get_key_value(base) {
            add(form.to_string(), b);
        }
    }
    forms
});

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Regular plurals of a noun (multi-word entries inflect their last word).
fn plurals(base: &str) -> Vec<String> {
    let b = base.as_bytes();
    let mut out = vec![format!("{base}s")];
    if base.ends_with('s') || base.ends_with('x') || base.ends_with("ch") || base.ends_with("sh") || base.ends_with('o')
    {
        out.push(format!("{base}es"));
    }
    if b.len() > 1 && b[b.len() - 1] == b'y' && !is_vowel(b[b.len() - 2]) {
        out.push(format!("{}ies", &base[..base.len() - 1]));
    }
    out
}

/// Regular inflections of a verb: -s, -ed, -ing, with the usual spelling changes (drop a silent
/// e, double a final consonant, y to i). Both the doubled and the plain consonant are made: an
/// extra form costs nothing and spelling varies.
fn verb_forms(base: &str) -> Vec<String> {
    let b = base.as_bytes();
    let n = b.len();
    let mut out = vec![format!("{base}s"), format!("{base}es"), format!("{base}ed"), format!("{base}ing")];
    if base.ends_with('e') {
        let stem = &base[..n - 1];
        out.push(format!("{base}d"));
        out.push(format!("{stem}ing"));
        if base.ends_with("ie") {
            out.push(format!("{}ying", &base[..n - 2]));
        }
    }
    if n > 1 && b[n - 1] == b'y' && !is_vowel(b[n - 2]) {
        let stem = &base[..n - 1];
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
    }
    if n > 2
        && !is_vowel(b[n - 1])
        && is_vowel(b[n - 2])
        && !is_vowel(b[n - 3])
        && !matches!(b[n - 1], b'w' | b'x' | b'y')
    {
        let last = b[n - 1] as char;
        out.push(format!("{base}{last}ed"));
        out.push(format!("{base}{last}ing"));
    }
    out
}

/// The lexicon's entries for a written word (lowercase, without apostrophes): its bases and the
/// union of their classes. Unknown words have none.
pub fn lookup(word: &str) -> (Option<&'static str>, u64) {
    match FORMS.get(word) {
        Some(bases) => {
            let classes = bases.iter().map(|b| BASES.get(b).copied().unwrap_or(0)).fold(0, |a, c| a | c);
            // The base that is not only an inflection of a verb names the word ("saw" the tool
            // over "see"); any base will do for the checks, which look at classes.
            (bases.first().copied(), classes)
        }
        None => (None, 0),
    }
}

/// Every base a written word is a form of ("saw": "saw" and "see"), none when unknown.
pub fn bases(word: &str) -> &'static [&'static str] {
    FORMS.get(word).map_or(&[], |b| b.as_slice())
}

/// Whether a written word is a form of `base` ("kicked" of "kick").
#[cfg(test)]
fn is_form_of(word: &str, base: &str) -> bool {
    FORMS.get(word).is_some_and(|bases| bases.contains(&base))
}

/// The classes of a two-word entry ("guinea pig", "plastic bag"), if it is one.
pub fn lookup_pair(first: &str, second: &str) -> u64 {
    let singular = FORMS.get(second).and_then(|b| b.iter().find(|b| !b.contains(' ')).copied()).unwrap_or(second);
    let bare = second.strip_suffix('s').unwrap_or(second);
    [singular, second, bare]
        .iter()
        .map(|s| BASES.get(format!("{first} {s}").as_str()).copied().unwrap_or(0))
        .fold(0, |a, c| a | c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inflections_find_their_base_and_classes() {
        assert!(is_form_of("kicked", "kick") && is_form_of("kicking", "kick") && is_form_of("kicks", "kick"));
        assert!(is_form_of("hitting", "hit") && is_form_of("threw", "throw") && is_form_of("stabbed", "stab"));
        assert!(is_form_of("puppies", "puppy") && is_form_of("mice", "mouse") && is_form_of("knives", "knife"));
        assert!(is_form_of("squeezing", "squeeze") && is_form_of("tying", "tie") && is_form_of("dying", "die"));
        assert!(lookup("kittens").1 & ANIMAL != 0);
        assert!(lookup("grandma").1 & PARENT != 0);
        assert!(lookup("saw").1 & SHARP != 0 && lookup("saw").1 & VERB != 0);
        assert_eq!(lookup("zxqv").1, 0);
        assert!(lookup_pair("guinea", "pigs") & ANIMAL != 0);
        assert!(lookup_pair("plastic", "bag") & TRAP != 0);
    }
}
