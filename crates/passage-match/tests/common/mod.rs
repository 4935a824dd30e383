//! Real names per script: as written in the script, as our transliteration gives them,
//! and as they are usually spelled in Latin on papers and lists.

#![allow(dead_code)]

pub struct Example {
    pub script: &'static str,
    pub original: &'static str,
    /// What `translit::to_latin` gives.
    pub translit: &'static str,
    /// The usual Latin spelling.
    pub latin: &'static str,
}

const fn ex(
    script: &'static str,
    original: &'static str,
    translit: &'static str,
    latin: &'static str,
) -> Example {
    Example {
        script,
        original,
        translit,
        latin,
    }
}

pub const EXAMPLES: &[Example] = &[
    // Arabic (Syria, Iraq, Sudan)
    ex("arabic", "محمد حسين", "mhmd hsyn", "Mohammed Hussein"),
    ex("arabic", "أحمد عبد الله", "ahmd abd allh", "Ahmed Abdullah"),
    ex(
        "arabic",
        "فاطمة الزهراء",
        "fatmh al zahra",
        "Fatima al-Zahra",
    ),
    ex("arabic", "عمر خالد", "amr khald", "Omar Khaled"),
    ex("arabic", "يوسف إبراهيم", "ywsf abrahym", "Youssef Ibrahim"),
    ex("arabic", "مصطفى علي", "mstfy aly", "Mustafa Ali"),
    ex(
        "arabic",
        "عائشة عبد الرحمن",
        "aayshh abd al rhmn",
        "Aisha Abdulrahman",
    ),
    ex(
        "arabic",
        "خديجة سليمان",
        "khdyjh slyman",
        "Khadija Suleiman",
    ),
    // Persian / Dari (Afghanistan, Iran)
    ex("persian", "حسین احمدی", "hsyn ahmdy", "Hossein Ahmadi"),
    ex("persian", "فاطمه رضایی", "fatmh rzayy", "Fatemeh Rezaei"),
    ex("persian", "زهرا محمدی", "zahra mhmdy", "Zahra Mohammadi"),
    ex("persian", "مریم کریمی", "mrym krymy", "Maryam Karimi"),
    ex(
        "persian",
        "علی رضا حیدری",
        "aly rza hydry",
        "Ali Reza Heydari",
    ),
    ex("persian", "پرویز نوری", "prwyz nwry", "Parviz Nouri"),
    // Pashto (Afghanistan, Pakistan)
    ex("pashto", "ګلالۍ", "glaly", "Gulalai"),
    ex("pashto", "ځلمی", "zlmy", "Zalmai"),
    ex("pashto", "زرغونه", "zrghwnh", "Zarghuna"),
    ex("pashto", "سپوږمۍ", "spwzhmy", "Spozhmai"),
    ex(
        "pashto",
        "احمد شاه مسعود",
        "ahmd shah msawd",
        "Ahmad Shah Massoud",
    ),
    ex("pashto", "نجیب‌الله", "njyballh", "Najibullah"),
    ex("pashto", "ملالۍ یوسفزۍ", "mlaly ywsfzy", "Malalai Yousafzai"),
    // Urdu (Pakistan)
    ex("urdu", "عمران خان", "amran khan", "Imran Khan"),
    ex("urdu", "شاہد آفریدی", "shahd afrydy", "Shahid Afridi"),
    ex("urdu", "بینظیر بھٹو", "bynzyr bhtw", "Benazir Bhutto"),
    ex("urdu", "پرویز مشرف", "prwyz mshrf", "Pervez Musharraf"),
    ex("urdu", "نواز شریف", "nwaz shryf", "Nawaz Sharif"),
    ex("urdu", "عائشہ صدیقہ", "aayshh sdyqh", "Ayesha Siddiqa"),
    // Bengali (Bangladesh, Rohingya)
    ex(
        "bengali",
        "মোহাম্মদ হোসেন",
        "mohammd hosen",
        "Mohammad Hossain",
    ),
    ex("bengali", "আব্দুর রহমান", "abdur rhman", "Abdur Rahman"),
    ex("bengali", "ফাতেমা বেগম", "phatema begm", "Fatema Begum"),
    ex("bengali", "রহিম উদ্দিন", "rhim uddin", "Rahim Uddin"),
    ex("bengali", "নূর বেগম", "nur begm", "Nur Begum"),
    ex("bengali", "শফিকুল ইসলাম", "shphikul islam", "Shafiqul Islam"),
    ex("bengali", "আমিনা খাতুন", "amina khatun", "Amina Khatun"),
    ex("bengali", "চৌধুরী", "chaudhuri", "Chowdhury"),
    // Burmese (Myanmar)
    ex(
        "burmese",
        "အောင်ဆန်းစုကြည်",
        "aung san su kyi",
        "Aung San Suu Kyi",
    ),
    ex("burmese", "ကျော်ဇော်ထွန်း", "kyaw zaw htun", "Kyaw Zaw Htun"),
    ex("burmese", "မင်းအောင်လှိုင်", "min aung hlaing", "Min Aung Hlaing"),
    ex("burmese", "ဦးသန့်", "u thant", "U Thant"),
    ex("burmese", "ခင်ညွန့်", "khin nyunt", "Khin Nyunt"),
    ex("burmese", "သိန်းစိန်", "thein sein", "Thein Sein"),
    ex("burmese", "ဝင်းမြင့်", "win myint", "Win Myint"),
    ex("burmese", "မောင်မောင်", "maung maung", "Maung Maung"),
    // Cyrillic (Ukraine, Russia, Central Asia)
    ex(
        "cyrillic",
        "Олександр Шевченко",
        "oleksandr shevchenko",
        "Oleksandr Shevchenko",
    ),
    ex(
        "cyrillic",
        "Дмитрий Иванов",
        "dmitriy ivanov",
        "Dmitry Ivanov",
    ),
    ex(
        "cyrillic",
        "Мухаммад Рахимов",
        "mukhammad rakhimov",
        "Muhammad Rahimov",
    ),
    ex(
        "cyrillic",
        "Хусейн Алиев",
        "khuseyn aliev",
        "Hussein Aliyev",
    ),
    ex(
        "cyrillic",
        "Юлия Тимошенко",
        "yuliya timoshenko",
        "Yulia Tymoshenko",
    ),
    ex(
        "cyrillic",
        "Рустам Эмомали",
        "rustam emomali",
        "Rustam Emomali",
    ),
    // Ge'ez (Eritrea: Tigrinya; Ethiopia: Amharic)
    ex("geez", "ሰላም ተስፋዬ", "selam tesfaye", "Selam Tesfaye"),
    ex(
        "geez",
        "ዮሃንስ ገብረመድህን",
        "yohans gebremedhn",
        "Yohannes Gebremedhin",
    ),
    ex("geez", "ኢሳያስ አፈወርቂ", "isayas afewerki", "Isaias Afwerki"),
    ex("geez", "ሚካኤል ብርሃነ", "mikael brhane", "Mikael Berhane"),
    ex("geez", "ሰናይት ኪዳነ", "senayt kidane", "Senait Kidane"),
    ex("geez", "ፀጋይ", "tsegay", "Tsegay"),
    ex("geez", "አማኑኤል ሃብተ", "amanuel habte", "Amanuel Habte"),
    ex(
        "geez",
        "ሃይሌ ገብረሥላሴ",
        "hayle gebreslase",
        "Haile Gebrselassie",
    ),
];
