//! Name data for the `passage demo` scenario: a night-time sea landing of about 600 people in
//! Aceh, Indonesia (mostly Rohingya, also Bangladeshi, Afghan, Somali and a few other Myanmar
//! nationals), and the Entikong land border post in West Kalimantan receiving Indonesian migrant
//! workers returned from Malaysia.
//!
//! Only constants, no logic, no dependency on other modules. The names are real, common names of
//! each group, with the Latin spellings that registration staff actually meet, variants included,
//! because the demo exercises duplicate detection.
//!
//! Original script, where the group writes one and the spelling is certain; otherwise `None`:
//! - Rohingya: Perso-Arabic, in the Urdu/Persian letter forms (ی, ک, ه) that Rohingya Arabic-script
//!   writing follows. The Hanifi Rohingya script (ISO 15924 `Rohg`) is not given.
//! - Afghan: Dari/Pashto Perso-Arabic, same letter forms.
//! - Bangladeshi: Bengali script. Myanmar: Burmese script (Unicode, not Zawgyi).
//! - Somali and Indonesian: Latin only.
//!
//! Every `original` is NFC. Word division in Perso-Arabic compounds varies in practice (a space,
//! a zero-width non-joiner or nothing before الله); the forms here put a plain space before الله
//! and join the `al-` compounds after عبد, ابو and نور (عبدالکریم, نورالاسلام), so matching should
//! ignore spaces and ZWNJ, and fold Arabic ي/ك/ة to Persian ی/ک/ه.

/// One name as people of a population write it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameForm {
    /// As written in Latin letters, in documents and by registration staff.
    pub latin: &'static str,
    /// As written in the population's own script, when it has one and the spelling is certain.
    pub original: Option<&'static str>,
    /// ISO 15924 code of `original` ("Arab", "Beng", "Mymr"); `Some` exactly when `original` is.
    pub script: Option<&'static str>,
}

/// A population met in the demo scenario, with the names its people carry.
#[derive(Debug, Clone, Copy)]
pub struct Population {
    /// "rohingya", "bangladeshi", "afghan", "somali", "indonesian" or "myanmar".
    pub key: &'static str,
    /// ISO 3166-1 alpha-3 code; `None` for the Rohingya, whom Myanmar denies citizenship.
    pub nationality: Option<&'static str>,
    /// ISO 639-3 codes of the languages spoken, the main one first.
    pub languages: &'static [&'static str],
    /// Places of origin or of last residence.
    pub origins: &'static [&'static str],
    /// Male given names (for some groups, the whole name).
    pub male_given: &'static [NameForm],
    /// Female given names (for some groups, the whole name).
    pub female_given: &'static [NameForm],
    /// Family names; empty where the group has none (Rohingya, Myanmar, Somali).
    pub family: &'static [NameForm],
}

/// Every population of the scenario, the largest group first.
pub const POPULATIONS: &[Population] =
    &[ROHINGYA, BANGLADESHI, AFGHAN, SOMALI, INDONESIAN, MYANMAR];

const fn latin(latin: &'static str) -> NameForm {
    NameForm {
        latin,
        original: None,
        script: None,
    }
}

const fn arab(latin: &'static str, original: &'static str) -> NameForm {
    NameForm {
        latin,
        original: Some(original),
        script: Some("Arab"),
    }
}

const fn beng(latin: &'static str, original: &'static str) -> NameForm {
    NameForm {
        latin,
        original: Some(original),
        script: Some("Beng"),
    }
}

const fn mymr(latin: &'static str, original: &'static str) -> NameForm {
    NameForm {
        latin,
        original: Some(original),
        script: Some("Mymr"),
    }
}

/// Rohingya from northern Rakhine State, Myanmar, or from the camps in Cox's Bazar, Bangladesh.
/// Stateless: Myanmar's 1982 Citizenship Law does not recognise them, so no nationality.
/// Names are one or two given-name parts, no family name; often with Begum or Khatun (women).
/// Latin spellings vary from one registration to the next (Mohammed/Muhammad/Mohamad,
/// Nur/Noor, Hossain/Hussain, Shafi/Shofi), and several entries spell the same name.
const ROHINGYA: Population = Population {
    key: "rohingya",
    nationality: None,
    languages: &["rhg", "mya"],
    origins: &[
        "Maungdaw, Rakhine",
        "Buthidaung, Rakhine",
        "Rathedaung, Rakhine",
        "Sittwe, Rakhine",
        "Kutupalong camp, Cox's Bazar",
        "Balukhali camp, Cox's Bazar",
        "Cox's Bazar camps",
        "Bhasan Char",
    ],
    male_given: &[
        arab("Mohammed Ayub", "محمد ایوب"),
        arab("Muhammad Ayub", "محمد ایوب"),
        arab("Mohamad Ayoub", "محمد ایوب"),
        arab("Mohammed Yusuf", "محمد یوسف"),
        arab("Mohamad Yousuf", "محمد یوسف"),
        arab("Nur Mohammed", "نور محمد"),
        arab("Noor Mohammad", "نور محمد"),
        arab("Nur Alam", "نور عالم"),
        arab("Noor Alam", "نور عالم"),
        arab("Abdul Karim", "عبدالکریم"),
        arab("Abdur Rahim", "عبدالرحیم"),
        arab("Abdul Rahman", "عبدالرحمن"),
        arab("Abdul Hakim", "عبدالحکیم"),
        arab("Abu Bakar", "ابوبکر"),
        arab("Abu Bakkar", "ابوبکر"),
        arab("Sayed Alam", "سید عالم"),
        arab("Syed Alam", "سید عالم"),
        arab("Rashid Ahmed", "رشید احمد"),
        arab("Rashid Ahmad", "رشید احمد"),
        arab("Anwar Hussain", "انور حسین"),
        arab("Anowar Hossain", "انور حسین"),
        arab("Mohammed Ismail", "محمد اسماعیل"),
        arab("Md Yunus", "محمد یونس"),
        arab("Dil Mohammed", "دل محمد"),
        arab("Zafar Alam", "ظفر عالم"),
        arab("Kamal Hossain", "کمال حسین"),
        arab("Jamal Hussain", "جمال حسین"),
        arab("Hamid Hussain", "حامد حسین"),
        arab("Shah Alam", "شاه عالم"),
        arab("Shamsul Alam", "شمس العالم"),
        arab("Nurul Islam", "نورالاسلام"),
        arab("Nurul Amin", "نورالامین"),
        arab("Noorul Amin", "نورالامین"),
        arab("Mohammed Rafiq", "محمد رفیق"),
        arab("Mohammad Rafique", "محمد رفیق"),
        arab("Habib Ullah", "حبیب الله"),
        arab("Habibullah", "حبیب الله"),
        arab("Rahmat Ullah", "رحمت الله"),
        arab("Saifullah", "سیف الله"),
        arab("Mohammed Salim", "محمد سلیم"),
        arab("Mohammed Hashim", "محمد هاشم"),
        arab("Mohammed Taher", "محمد طاهر"),
        arab("Kabir Ahmed", "کبیر احمد"),
        arab("Sultan Ahmed", "سلطان احمد"),
        arab("Amir Hamza", "امیر حمزه"),
        arab("Osman Goni", "عثمان غنی"),
        arab("Shafi Alam", "شفیع عالم"),
        arab("Shofi Alam", "شفیع عالم"),
        arab("Abul Kalam", "ابوالکلام"),
        arab("Ziaur Rahman", "ضیاءالرحمن"),
        arab("Ibrahim", "ابراهیم"),
        arab("Ebrahim", "ابراهیم"),
        arab("Yasin", "یاسین"),
        arab("Faisal", "فیصل"),
        latin("Kala Miah"),
    ],
    female_given: &[
        arab("Hasina", "حسینه"),
        arab("Hasinah", "حسینه"),
        arab("Hasina Begum", "حسینه بیگم"),
        arab("Rashida", "رشیده"),
        arab("Rashida Begum", "رشیده بیگم"),
        arab("Nur Begum", "نور بیگم"),
        arab("Noor Begum", "نور بیگم"),
        arab("Nur Jahan", "نورجهان"),
        arab("Noor Jahan", "نورجهان"),
        arab("Hamida", "حمیده"),
        arab("Hamida Begum", "حمیده بیگم"),
        arab("Jamila", "جمیله"),
        arab("Jamilah", "جمیله"),
        arab("Rahima", "رحیمه"),
        arab("Rohima", "رحیمه"),
        arab("Rahima Khatun", "رحیمه خاتون"),
        arab("Shamima", "شمیمه"),
        arab("Fatima", "فاطمه"),
        arab("Fatema", "فاطمه"),
        arab("Fatima Khatun", "فاطمه خاتون"),
        arab("Ayesha", "عایشه"),
        arab("Aisha", "عایشه"),
        arab("Khadija", "خدیجه"),
        arab("Khadiza", "خدیجه"),
        arab("Rokeya", "رقیه"),
        arab("Yasmin", "یاسمین"),
        arab("Yasmeen", "یاسمین"),
        arab("Monowara", "منوره"),
        arab("Monowara Begum", "منوره بیگم"),
        arab("Halima", "حلیمه"),
        arab("Halima Khatun", "حلیمه خاتون"),
        arab("Sakina", "سکینه"),
        arab("Sokina", "سکینه"),
        arab("Shafiqa", "شفیقه"),
        arab("Shofika", "شفیقه"),
        arab("Setara", "ستاره"),
        arab("Sitara", "ستاره"),
        arab("Kulsum", "کلثوم"),
        arab("Umme Kulsum", "ام کلثوم"),
        arab("Umme Habiba", "ام حبیبه"),
        arab("Rehana", "ریحانه"),
        arab("Rabia", "رابعه"),
        arab("Nasima", "نسیمه"),
        arab("Salima", "سلیمه"),
        arab("Mumtaz", "ممتاز"),
        arab("Khurshida", "خورشیده"),
        latin("Minara Begum"),
    ],
    // No family names: one name, or two given-name parts.
    family: &[],
};

/// Bangladeshi nationals, many from the Chattogram division, who travelled with the Rohingya.
/// Muslim names, and a few Hindu ones. Many women's names end in Akter, Begum or Khatun; these
/// are not passed on like a surname, so they are part of the female given names here.
const BANGLADESHI: Population = Population {
    key: "bangladeshi",
    nationality: Some("BGD"),
    languages: &["ben", "ctg"],
    origins: &[
        "Teknaf, Cox's Bazar",
        "Ukhia, Cox's Bazar",
        "Chattogram",
        "Noakhali",
        "Cumilla",
        "Sirajganj",
        "Narsingdi",
        "Jashore",
    ],
    male_given: &[
        beng("Mohammad Ali", "মোহাম্মদ আলী"),
        beng("Mohammed Ali", "মোহাম্মদ আলী"),
        beng("Md Abdul Karim", "মোঃ আব্দুল করিম"),
        beng("Abdul Karim", "আব্দুল করিম"),
        beng("Abdur Rahim", "আব্দুর রহিম"),
        beng("Abdul Kader", "আব্দুল কাদের"),
        beng("Abul Kalam", "আবুল কালাম"),
        beng("Nurul Islam", "নুরুল ইসলাম"),
        beng("Rafiqul", "রফিকুল"),
        beng("Rafiqul Islam", "রফিকুল ইসলাম"),
        beng("Shafiqul", "শফিকুল"),
        beng("Aminul", "আমিনুল"),
        beng("Nazrul", "নজরুল"),
        beng("Saiful", "সাইফুল"),
        beng("Shahidul", "শহিদুল"),
        beng("Mizanur", "মিজানুর"),
        beng("Mostafizur", "মোস্তাফিজুর"),
        beng("Motiur", "মতিউর"),
        beng("Mahbub", "মাহবুব"),
        beng("Habib", "হাবিব"),
        beng("Jahangir", "জাহাঙ্গীর"),
        beng("Alamgir", "আলমগীর"),
        beng("Kamal", "কামাল"),
        beng("Jamal", "জামাল"),
        beng("Rashed", "রাশেদ"),
        beng("Rubel", "রুবেল"),
        beng("Sohel", "সোহেল"),
        beng("Shahin", "শাহীন"),
        beng("Masud", "মাসুদ"),
        beng("Faruk", "ফারুক"),
        beng("Anwar", "আনোয়ার"),
        beng("Delwar", "দেলোয়ার"),
        beng("Mamun", "মামুন"),
        beng("Harun", "হারুন"),
        beng("Yunus", "ইউনুস"),
        beng("Younus", "ইউনুস"),
        beng("Selim", "সেলিম"),
        beng("Liton", "লিটন"),
        beng("Sumon", "সুমন"),
        beng("Rakib", "রাকিব"),
        beng("Arif", "আরিফ"),
        beng("Tanvir", "তানভীর"),
        beng("Imran", "ইমরান"),
        beng("Shakil", "শাকিল"),
        beng("Biplob", "বিপ্লব"),
        beng("Sujon", "সুজন"),
        beng("Monir", "মনির"),
        beng("Jasim", "জসিম"),
        beng("Babul", "বাবুল"),
        beng("Ripon", "রিপন"),
        beng("Pradip", "প্রদীপ"),
        beng("Gopal", "গোপাল"),
        beng("Ratan", "রতন"),
        beng("Shyamal", "শ্যামল"),
    ],
    female_given: &[
        beng("Fatema", "ফাতেমা"),
        beng("Fatima", "ফাতেমা"),
        beng("Ayesha", "আয়েশা"),
        beng("Nasrin", "নাসরিন"),
        beng("Nasreen", "নাসরিন"),
        beng("Shirin", "শিরিন"),
        beng("Shahnaz", "শাহনাজ"),
        beng("Rokeya", "রোকেয়া"),
        beng("Hasina", "হাসিনা"),
        beng("Rahima", "রহিমা"),
        beng("Salma", "সালমা"),
        beng("Nazma", "নাজমা"),
        beng("Rashida", "রাশিদা"),
        beng("Shamima", "শামীমা"),
        beng("Sharmin", "শারমিন"),
        beng("Taslima", "তাসলিমা"),
        beng("Parvin", "পারভীন"),
        beng("Parveen", "পারভীন"),
        beng("Nasima", "নাসিমা"),
        beng("Jesmin", "জেসমিন"),
        beng("Jasmin", "জেসমিন"),
        beng("Ruma", "রুমা"),
        beng("Rina", "রিনা"),
        beng("Mina", "মিনা"),
        beng("Shilpi", "শিল্পী"),
        beng("Moushumi", "মৌসুমী"),
        beng("Rupa", "রুপা"),
        beng("Sumaiya", "সুমাইয়া"),
        beng("Tania", "তানিয়া"),
        beng("Sadia", "সাদিয়া"),
        beng("Marium", "মরিয়ম"),
        beng("Khadija", "খাদিজা"),
        beng("Kulsum", "কুলসুম"),
        beng("Morjina", "মর্জিনা"),
        beng("Anwara", "আনোয়ারা"),
        beng("Monowara", "মনোয়ারা"),
        beng("Shefali", "শেফালী"),
        beng("Lucky", "লাকী"),
        beng("Popy", "পপি"),
        beng("Beauty", "বিউটি"),
        beng("Mitu", "মিতু"),
        beng("Laila", "লাইলা"),
        beng("Sabina", "সাবিনা"),
        beng("Halima", "হালিমা"),
        beng("Mahmuda", "মাহমুদা"),
        beng("Nurjahan", "নূরজাহান"),
        beng("Farzana", "ফারজানা"),
        beng("Afroza", "আফরোজা"),
        beng("Dilruba", "দিলরুবা"),
        beng("Sultana", "সুলতানা"),
        beng("Nasrin Akter", "নাসরিন আক্তার"),
        beng("Shamima Akhter", "শামীমা আক্তার"),
        beng("Sharmin Akter", "শারমিন আক্তার"),
        beng("Rokeya Begum", "রোকেয়া বেগম"),
        beng("Rahima Begum", "রহিমা বেগম"),
        beng("Halima Khatun", "হালিমা খাতুন"),
    ],
    family: &[
        beng("Hossain", "হোসেন"),
        beng("Hossen", "হোসেন"),
        beng("Rahman", "রহমান"),
        beng("Islam", "ইসলাম"),
        beng("Ahmed", "আহমেদ"),
        beng("Uddin", "উদ্দিন"),
        beng("Miah", "মিয়া"),
        beng("Mia", "মিয়া"),
        beng("Chowdhury", "চৌধুরী"),
        beng("Sarkar", "সরকার"),
        beng("Khan", "খান"),
        beng("Alam", "আলম"),
        beng("Haque", "হক"),
        beng("Hoque", "হক"),
        beng("Ali", "আলী"),
        beng("Sheikh", "শেখ"),
        beng("Talukder", "তালুকদার"),
        beng("Bhuiyan", "ভূঁইয়া"),
        beng("Molla", "মোল্লা"),
        beng("Howlader", "হাওলাদার"),
        beng("Majumder", "মজুমদার"),
        beng("Karim", "করিম"),
        beng("Hasan", "হাসান"),
        beng("Mahmud", "মাহমুদ"),
        beng("Biswas", "বিশ্বাস"),
        beng("Sikder", "সিকদার"),
        beng("Patwary", "পাটোয়ারী"),
        beng("Munshi", "মুন্সী"),
        beng("Siddique", "সিদ্দিক"),
        beng("Kabir", "কবির"),
        beng("Gazi", "গাজী"),
        beng("Mondal", "মণ্ডল"),
        beng("Das", "দাস"),
        beng("Roy", "রায়"),
        beng("Saha", "সাহা"),
        beng("Dey", "দে"),
        beng("Barua", "বড়ুয়া"),
    ],
};

/// Afghan nationals, many of them Hazara, in transit through Indonesia. Many Afghans have no
/// family name (the tazkira records the father's name); others, in cities and abroad, use one
/// like these.
const AFGHAN: Population = Population {
    key: "afghan",
    nationality: Some("AFG"),
    languages: &["prs", "pus", "haz"],
    origins: &[
        "Herat",
        "Kabul",
        "Ghazni",
        "Jaghori, Ghazni",
        "Bamyan",
        "Mazar-i-Sharif, Balkh",
        "Kandahar",
        "Jalalabad, Nangarhar",
        "Kunduz",
    ],
    male_given: &[
        arab("Ahmad", "احمد"),
        arab("Mohammad", "محمد"),
        arab("Muhammad", "محمد"),
        arab("Ali", "علی"),
        arab("Hamid", "حامد"),
        arab("Mahmood", "محمود"),
        arab("Mahmud", "محمود"),
        arab("Abdullah", "عبدالله"),
        arab("Abdul Rahman", "عبدالرحمن"),
        arab("Abdulrahman", "عبدالرحمن"),
        arab("Abdul Ghani", "عبدالغنی"),
        arab("Abdul Wali", "عبدالولی"),
        arab("Abdul Qadir", "عبدالقادر"),
        arab("Abdul Basir", "عبدالبصیر"),
        arab("Ghulam Sakhi", "غلام سخی"),
        arab("Ghulam Hussain", "غلام حسین"),
        arab("Gul Ahmad", "گل احمد"),
        arab("Noor Ahmad", "نور احمد"),
        arab("Sher Ahmad", "شیر احمد"),
        arab("Habibullah", "حبیب الله"),
        arab("Hekmatullah", "حکمت الله"),
        arab("Rahmatullah", "رحمت الله"),
        arab("Samiullah", "سمیع الله"),
        arab("Zabihullah", "ذبیح الله"),
        arab("Najibullah", "نجیب الله"),
        arab("Asadullah", "اسد الله"),
        arab("Rohullah", "روح الله"),
        arab("Khalid", "خالد"),
        arab("Farid", "فرید"),
        arab("Jawad", "جواد"),
        arab("Jawid", "جاوید"),
        arab("Javed", "جاوید"),
        arab("Karim", "کریم"),
        arab("Rahim", "رحیم"),
        arab("Bashir", "بشیر"),
        arab("Sayed", "سید"),
        arab("Sharif", "شریف"),
        arab("Wahid", "وحید"),
        arab("Shafiq", "شفیق"),
        arab("Omid", "امید"),
        arab("Mustafa", "مصطفی"),
        arab("Murtaza", "مرتضی"),
        arab("Hussain", "حسین"),
        arab("Hussein", "حسین"),
        arab("Hassan", "حسن"),
        arab("Reza", "رضا"),
        arab("Yama", "یما"),
        arab("Mirwais", "میرویس"),
        arab("Zalmai", "زلمی"),
        arab("Baryalai", "بریالی"),
        arab("Jamshid", "جمشید"),
        arab("Nasir", "ناصر"),
        arab("Qasim", "قاسم"),
        arab("Idris", "ادریس"),
        arab("Ismail", "اسماعیل"),
        arab("Ajmal", "اجمل"),
        arab("Wali", "ولی"),
    ],
    female_given: &[
        arab("Fatima", "فاطمه"),
        arab("Fatema", "فاطمه"),
        arab("Zahra", "زهرا"),
        arab("Maryam", "مریم"),
        arab("Khadija", "خدیجه"),
        arab("Zainab", "زینب"),
        arab("Malalai", "ملالی"),
        arab("Nazanin", "نازنین"),
        arab("Farzana", "فرزانه"),
        arab("Fariba", "فریبا"),
        arab("Shabnam", "شبنم"),
        arab("Laila", "لیلا"),
        arab("Mina", "مینا"),
        arab("Nadia", "نادیه"),
        arab("Parwana", "پروانه"),
        arab("Roya", "رویا"),
        arab("Shukria", "شکریه"),
        arab("Soraya", "ثریا"),
        arab("Sima", "سیما"),
        arab("Homa", "هما"),
        arab("Gulalai", "گلالی"),
        arab("Gulnaz", "گلناز"),
        arab("Nargis", "نرگس"),
        arab("Freshta", "فرشته"),
        arab("Fereshta", "فرشته"),
        arab("Marzia", "مرضیه"),
        arab("Hamida", "حمیده"),
        arab("Tahmina", "تهمینه"),
        arab("Rahima", "رحیمه"),
        arab("Sakina", "سکینه"),
        arab("Masooma", "معصومه"),
        arab("Masuma", "معصومه"),
        arab("Nasima", "نسیمه"),
        arab("Palwasha", "پلوشه"),
        arab("Zarghuna", "زرغونه"),
        arab("Mursal", "مرسل"),
        arab("Sharifa", "شریفه"),
        arab("Latifa", "لطیفه"),
        arab("Nilofar", "نیلوفر"),
        arab("Shakila", "شکیله"),
        arab("Mahbooba", "محبوبه"),
    ],
    family: &[
        arab("Ahmadi", "احمدی"),
        arab("Mohammadi", "محمدی"),
        arab("Muhammadi", "محمدی"),
        arab("Rahimi", "رحیمی"),
        arab("Karimi", "کریمی"),
        arab("Hashimi", "هاشمی"),
        arab("Hashemi", "هاشمی"),
        arab("Hussaini", "حسینی"),
        arab("Hosseini", "حسینی"),
        arab("Sadat", "سادات"),
        arab("Popal", "پوپل"),
        arab("Popalzai", "پوپلزی"),
        arab("Durrani", "درانی"),
        arab("Barakzai", "بارکزی"),
        arab("Stanikzai", "ستانکزی"),
        arab("Ahmadzai", "احمدزی"),
        arab("Amiri", "امیری"),
        arab("Noori", "نوری"),
        arab("Rahmani", "رحمانی"),
        arab("Habibi", "حبیبی"),
        arab("Rezaei", "رضایی"),
        arab("Rezaie", "رضایی"),
        arab("Hakimi", "حکیمی"),
        arab("Azizi", "عزیزی"),
        arab("Nazari", "نظری"),
        arab("Safi", "صافی"),
        arab("Sultani", "سلطانی"),
        arab("Wardak", "وردک"),
        arab("Yusufzai", "یوسفزی"),
        arab("Shinwari", "شینواری"),
        arab("Jalali", "جلالی"),
        arab("Qaderi", "قادری"),
        arab("Naseri", "ناصری"),
        arab("Samadi", "صمدی"),
        arab("Haidari", "حیدری"),
        arab("Faizi", "فیضی"),
        arab("Hotak", "هوتک"),
        arab("Niazi", "نیازی"),
        arab("Akbari", "اکبری"),
        arab("Jafari", "جعفری"),
        arab("Sharifi", "شریفی"),
        arab("Mangal", "منگل"),
        arab("Tokhi", "توخی"),
    ],
};

/// Somali nationals. Written in Latin only: both the English-style spellings (Hassan, Ali) and
/// the official Somali orthography (Xasan, Cali: x for the pharyngeal ḥ, c for ʿayn) are in use.
const SOMALI: Population = Population {
    key: "somali",
    nationality: Some("SOM"),
    languages: &["som"],
    origins: &[
        "Mogadishu",
        "Kismayo",
        "Baidoa",
        "Beledweyne",
        "Galkayo",
        "Bosaso",
        "Hargeisa",
    ],
    male_given: &[
        latin("Mohamed"),
        latin("Maxamed"),
        latin("Ahmed"),
        latin("Axmed"),
        latin("Abdi"),
        latin("Cabdi"),
        latin("Abdullahi"),
        latin("Cabdullaahi"),
        latin("Hassan"),
        latin("Xasan"),
        latin("Hussein"),
        latin("Xuseen"),
        latin("Ali"),
        latin("Cali"),
        latin("Omar"),
        latin("Cumar"),
        latin("Osman"),
        latin("Cusmaan"),
        latin("Yusuf"),
        latin("Ibrahim"),
        latin("Ismail"),
        latin("Farah"),
        latin("Aden"),
        latin("Aadan"),
        latin("Abdirahman"),
        latin("Abdirizak"),
        latin("Abdikarim"),
        latin("Abdiwali"),
        latin("Mahad"),
        latin("Liban"),
        latin("Guled"),
        latin("Jama"),
        latin("Warsame"),
        latin("Hirsi"),
        latin("Said"),
        latin("Nur"),
        latin("Dahir"),
        latin("Mohamud"),
        latin("Maxamuud"),
        latin("Khalid"),
        latin("Bashir"),
        latin("Mustafe"),
        latin("Shire"),
        latin("Elmi"),
        latin("Abshir"),
        latin("Awale"),
    ],
    female_given: &[
        latin("Fadumo"),
        latin("Faadumo"),
        latin("Hodan"),
        latin("Halima"),
        latin("Xaliimo"),
        latin("Amina"),
        latin("Aamina"),
        latin("Asha"),
        latin("Caasha"),
        latin("Hawa"),
        latin("Xawa"),
        latin("Sahra"),
        latin("Nimco"),
        latin("Ifrah"),
        latin("Ubah"),
        latin("Ayan"),
        latin("Sagal"),
        latin("Fartun"),
        latin("Khadra"),
        latin("Maryan"),
        latin("Ruqiya"),
        latin("Hibo"),
        latin("Deeqa"),
        latin("Naima"),
        latin("Sucdi"),
        latin("Ladan"),
        latin("Filsan"),
        latin("Hamdi"),
        latin("Idil"),
        latin("Ikran"),
        latin("Safiya"),
        latin("Zamzam"),
        latin("Shukri"),
        latin("Muna"),
        latin("Nasra"),
    ],
    // No family names: a Somali name is the given name, then the father's and the grandfather's
    // given names, which are male given names from the list above.
    family: &[],
};

/// Indonesian migrant workers returned from Malaysia (Sarawak) through the Entikong border post,
/// West Kalimantan, many from Nusa Tenggara Timur and Nusa Tenggara Barat. Written in Latin.
/// Many Indonesians (most Javanese, Sundanese, Sasak and Bugis) have a single name and no
/// family name; the family names here are clan names of Batak, Minahasa, Maluku, Timor and Flores.
const INDONESIAN: Population = Population {
    key: "indonesian",
    nationality: Some("IDN"),
    languages: &["ind", "jav", "sas", "bug", "aoz", "tet"],
    origins: &[
        "Kupang, Nusa Tenggara Timur",
        "Belu, Nusa Tenggara Timur",
        "Timor Tengah Selatan, Nusa Tenggara Timur",
        "Flores Timur, Nusa Tenggara Timur",
        "Lombok Timur, Nusa Tenggara Barat",
        "Sambas, Kalimantan Barat",
        "Sanggau, Kalimantan Barat",
        "Bone, Sulawesi Selatan",
        "Jember, Jawa Timur",
    ],
    male_given: &[
        latin("Agus"),
        latin("Budi"),
        latin("Joko"),
        latin("Slamet"),
        latin("Bambang"),
        latin("Eko"),
        latin("Dedi"),
        latin("Hendra"),
        latin("Rudi"),
        latin("Andi"),
        latin("Ahmad"),
        latin("Muhammad"),
        latin("Muhamad"),
        latin("Mohammad"),
        latin("Rizky"),
        latin("Rizki"),
        latin("Fajar"),
        latin("Dimas"),
        latin("Yusuf"),
        latin("Irfan"),
        latin("Hasan"),
        latin("Arif"),
        latin("Teguh"),
        latin("Wahyu"),
        latin("Suryadi"),
        latin("Sutrisno"),
        latin("Supriyadi"),
        latin("Heru"),
        latin("Iwan"),
        latin("Asep"),
        latin("Rahmat"),
        latin("Darmawan"),
        latin("Herman"),
        latin("Zainal"),
        latin("Syamsul"),
        latin("Samsul"),
        latin("Dodi"),
        latin("Yohanes"),
        latin("Fransiskus"),
        latin("Petrus"),
        latin("Yosef"),
        latin("Markus"),
        latin("Antonius"),
        latin("Paulus"),
    ],
    female_given: &[
        latin("Siti"),
        latin("Sitti"),
        latin("Siti Aminah"),
        latin("Sri"),
        latin("Sri Wahyuni"),
        latin("Dewi"),
        latin("Ratna"),
        latin("Nur"),
        latin("Nurhayati"),
        latin("Wati"),
        latin("Yuliana"),
        latin("Maria"),
        latin("Yohana"),
        latin("Fitri"),
        latin("Fitriani"),
        latin("Rina"),
        latin("Ani"),
        latin("Lestari"),
        latin("Wulan"),
        latin("Indah"),
        latin("Ayu"),
        latin("Putri"),
        latin("Suryani"),
        latin("Rahmawati"),
        latin("Kartini"),
        latin("Sumiati"),
        latin("Sulastri"),
        latin("Endang"),
        latin("Yanti"),
        latin("Ernawati"),
        latin("Maya"),
        latin("Dian"),
        latin("Novi"),
        latin("Susanti"),
        latin("Agustina"),
        latin("Fransiska"),
        latin("Rosalina"),
        latin("Ningsih"),
        latin("Murni"),
    ],
    family: &[
        latin("Siregar"),
        latin("Nasution"),
        latin("Lubis"),
        latin("Harahap"),
        latin("Hasibuan"),
        latin("Simanjuntak"),
        latin("Sinaga"),
        latin("Situmorang"),
        latin("Hutapea"),
        latin("Hutabarat"),
        latin("Pardede"),
        latin("Sitompul"),
        latin("Panjaitan"),
        latin("Tambunan"),
        latin("Manurung"),
        latin("Simatupang"),
        latin("Napitupulu"),
        latin("Silalahi"),
        latin("Simbolon"),
        latin("Sembiring"),
        latin("Ginting"),
        latin("Tarigan"),
        latin("Purba"),
        latin("Saragih"),
        latin("Sondakh"),
        latin("Wenas"),
        latin("Pangemanan"),
        latin("Rumengan"),
        latin("Lumentut"),
        latin("Mandagi"),
        latin("Latuconsina"),
        latin("Bria"),
        latin("Seran"),
        latin("Nahak"),
        latin("Bere"),
        latin("Tefa"),
        latin("Benu"),
        latin("Manek"),
        latin("Taek"),
        latin("Lake"),
        latin("Parera"),
        latin("da Costa"),
        latin("da Silva"),
        latin("Fernandez"),
    ],
};

/// Myanmar nationals who are not Rohingya (here Bamar and Rakhine Buddhists). Burmese names have
/// no family name: one to three syllables, written without spaces in Burmese script. Honorifics
/// (U, Ko, Maung for men; Daw, Ma for women) are not part of the name and are left out.
const MYANMAR: Population = Population {
    key: "myanmar",
    nationality: Some("MMR"),
    languages: &["mya"],
    origins: &[
        "Sittwe, Rakhine",
        "Kyaukpyu, Rakhine",
        "Yangon",
        "Mandalay",
        "Magway",
        "Pathein, Ayeyarwady",
    ],
    male_given: &[
        mymr("Aung Kyaw", "အောင်ကျော်"),
        mymr("Kyaw Zaw", "ကျော်ဇော်"),
        mymr("Zaw Min", "ဇော်မင်း"),
        mymr("Min Htet", "မင်းထက်"),
        mymr("Kyaw Min Htet", "ကျော်မင်းထက်"),
        mymr("Htet Aung", "ထက်အောင်"),
        mymr("Thura Aung", "သူရအောင်"),
        mymr("Win Naing", "ဝင်းနိုင်"),
        mymr("Soe Win", "စိုးဝင်း"),
        mymr("Tun Tun", "ထွန်းထွန်း"),
        mymr("Myint Aung", "မြင့်အောင်"),
        mymr("Hla Tun", "လှထွန်း"),
        mymr("Thein Zaw", "သိန်းဇော်"),
        mymr("Aung Naing", "အောင်နိုင်"),
        mymr("Kyaw Soe", "ကျော်စိုး"),
        mymr("Ye Aung", "ရဲအောင်"),
        mymr("Ye Min", "ရဲမင်း"),
        mymr("Kyaw Zin Htet", "ကျော်ဇင်ထက်"),
        mymr("Kyaw Moe", "ကျော်မိုး"),
        mymr("Pyae Phyo Aung", "ပြည့်ဖြိုးအောင်"),
        mymr("Nay Lin Aung", "နေလင်းအောင်"),
        mymr("Si Thu Aung", "စည်သူအောင်"),
        mymr("Sithu Aung", "စည်သူအောင်"),
        mymr("Min Khant", "မင်းခန့်"),
        mymr("Thant Zin", "သန့်ဇင်"),
        mymr("Wai Yan", "ဝေယံ"),
        mymr("Hein Htet", "ဟိန်းထက်"),
        mymr("Myo Min", "မျိုးမင်း"),
        mymr("Than Htike", "သန်းထိုက်"),
        mymr("Than Tun", "သန်းထွန်း"),
        mymr("Zaw Zaw", "ဇော်ဇော်"),
    ],
    female_given: &[
        mymr("Su Su", "စုစု"),
        mymr("Hnin Wai", "နှင်းဝေ"),
        mymr("Thida", "သီတာ"),
        mymr("Nwe Ni", "နွယ်နီ"),
        mymr("Khin Mar", "ခင်မာ"),
        mymr("Zin Mar", "ဇင်မာ"),
        mymr("San San", "စန်းစန်း"),
        mymr("Aye Aye", "အေးအေး"),
        mymr("Aye Myat", "အေးမြတ်"),
        mymr("Thandar", "သန္တာ"),
        mymr("Yadanar", "ရတနာ"),
        mymr("Ei Ei", "အိအိ"),
        mymr("Ei Phyu", "အိဖြူ"),
        mymr("Moe Moe", "မိုးမိုး"),
        mymr("Cho Cho", "ချိုချို"),
        mymr("May Thu", "မေသူ"),
        mymr("Thuzar", "သူဇာ"),
        mymr("Wut Yee", "ဝတ်ရည်"),
        mymr("Htet Htet", "ထက်ထက်"),
        mymr("Hla Hla", "လှလှ"),
        mymr("Thin Thin Aye", "သင်းသင်းအေး"),
        mymr("Nilar", "နီလာ"),
        mymr("Sandar", "စန္ဒာ"),
        mymr("Khaing Zin", "ခိုင်ဇင်"),
        mymr("Khin Khin", "ခင်ခင်"),
        mymr("Phyu Phyu", "ဖြူဖြူ"),
    ],
    // No family names.
    family: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    fn all_names(p: &Population) -> impl Iterator<Item = &'static NameForm> {
        p.male_given
            .iter()
            .chain(p.female_given.iter())
            .chain(p.family.iter())
    }

    #[test]
    fn every_population_has_given_names() {
        for p in POPULATIONS {
            assert!(!p.male_given.is_empty(), "{}: no male given names", p.key);
            assert!(
                !p.female_given.is_empty(),
                "{}: no female given names",
                p.key
            );
        }
    }

    #[test]
    fn enough_names_for_the_scenario() {
        for p in POPULATIONS {
            let min_given = match p.key {
                "somali" | "myanmar" => 15,
                _ => 30,
            };
            assert!(p.male_given.len() >= min_given, "{}", p.key);
            assert!(p.female_given.len() >= min_given, "{}", p.key);
            match p.key {
                "rohingya" | "myanmar" | "somali" => assert!(p.family.is_empty(), "{}", p.key),
                _ => assert!(p.family.len() >= 30, "{}", p.key),
            }
        }
    }

    #[test]
    fn script_is_given_exactly_with_original() {
        for p in POPULATIONS {
            for n in all_names(p) {
                assert_eq!(n.original.is_some(), n.script.is_some(), "{}", n.latin);
            }
        }
    }

    #[test]
    fn scripts_match_their_text() {
        for p in POPULATIONS {
            for n in all_names(p) {
                let (Some(original), Some(script)) = (n.original, n.script) else {
                    continue;
                };
                let range = match script {
                    "Arab" => '\u{0600}'..='\u{06FF}',
                    "Beng" => '\u{0980}'..='\u{09FF}',
                    "Mymr" => '\u{1000}'..='\u{109F}',
                    other => panic!("{}: unexpected script {other}", n.latin),
                };
                assert!(
                    original.chars().all(|c| c == ' ' || range.contains(&c)),
                    "{}: {original} is not all {script}",
                    n.latin
                );
            }
        }
    }

    #[test]
    fn latin_forms_are_clean_and_unique_per_list() {
        for p in POPULATIONS {
            for list in [p.male_given, p.female_given, p.family] {
                for (i, n) in list.iter().enumerate() {
                    assert!(
                        !n.latin.is_empty() && n.latin.trim() == n.latin,
                        "{:?}",
                        n.latin
                    );
                    assert!(
                        n.latin
                            .chars()
                            .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '\''),
                        "{:?}",
                        n.latin
                    );
                    assert!(
                        list[..i].iter().all(|m| m.latin != n.latin),
                        "{}: {} twice",
                        p.key,
                        n.latin
                    );
                }
            }
        }
    }

    #[test]
    fn codes_are_well_formed() {
        for p in POPULATIONS {
            assert!(!p.languages.is_empty(), "{}", p.key);
            for l in p.languages {
                assert!(
                    l.len() == 3 && l.bytes().all(|b| b.is_ascii_lowercase()),
                    "{}: language {l}",
                    p.key
                );
            }
            if let Some(c) = p.nationality {
                assert!(
                    c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()),
                    "{c}"
                );
            }
            assert!(!p.origins.is_empty(), "{}", p.key);
        }
    }

    #[test]
    fn keys_are_unique_and_only_rohingya_are_stateless() {
        let keys: Vec<&str> = POPULATIONS.iter().map(|p| p.key).collect();
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[..i].contains(k), "{k} twice");
        }
        for p in POPULATIONS {
            assert_eq!(p.nationality.is_none(), p.key == "rohingya", "{}", p.key);
        }
    }
}
