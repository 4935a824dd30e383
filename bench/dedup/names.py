"""Name, place and particle tables for the synthetic multi-origin population.

Each table line is `NATIVE|Latin1/Latin2/...`: the form in the original script
(or, for Somali, the Somali orthography), then the Latin spellings seen in
registration data, most frequent first. Lines are ordered roughly from common
to rare: the generator draws them with Zipf-like weights, so the first names
of a table (Mohammad, Ahmad, ...) are very common, as they are in the field.

A Latin field starting with `al-:` marks an Arabic family name carrying the
article, whose rendering varies (al-Jubouri, Al Jubouri, Aljubouri, Jubouri).
"""

AFG_MALE = """
محمد|Mohammad/Muhammad/Mohammed/Mohamad/Mohd/Mohamed
احمد|Ahmad/Ahmed/Ahmet
علی|Ali/Aly
عبدالله|Abdullah/Abdulla/Abdollah
عبدالرحمن|Abdul Rahman/Abdurrahman/Abdulrahman/Abdul Rahaman/Abdur Rahman
حسین|Hussain/Hussein/Husain/Hossain/Hosein
گل|Gul/Gol
نور|Noor/Nur/Nour
حسن|Hassan/Hasan/Hasen
عبدالقادر|Abdul Qadir/Abdulqadir/Abdul Qader/Abdul Kadir
محمود|Mahmood/Mahmud/Mahmoud
رحیم|Rahim/Raheem/Rahem
کریم|Karim/Kareem/Karem
جاوید|Javed/Jawid/Javid/Jawed
سید|Sayed/Syed/Said/Sayyid/Seyed
عبدالغنی|Abdul Ghani/Abdulghani/Abdul Ghany
نجیب|Najib/Najeeb/Nadjib
حبیب|Habib/Habeeb
فرید|Farid/Fareed
ذبیح الله|Zabihullah/Zabiullah/Zabihollah/Zabi Ullah
شفیق|Shafiq/Shafeeq/Shafik
رفیع|Rafi/Rafie/Rafee
ظاهر|Zahir/Zaher/Zaheer
نصیر|Nasir/Naseer/Naser
بشیر|Bashir/Basheer/Besir
جمیل|Jamil/Jameel
خالد|Khalid/Khaled
مصطفی|Mustafa/Mostafa/Mustapha
یوسف|Yousuf/Yusuf/Yousef/Yosef
ابراهیم|Ibrahim/Ebrahim/Ibraheem
اسماعیل|Ismail/Esmail/Ismael
عزیز|Aziz/Azeez
حمید|Hamid/Hameed/Hamed
ولی|Wali/Vali/Walee
سمیع الله|Samiullah/Sami Ullah/Samiollah
شریف|Sharif/Shareef
امین|Amin/Ameen
عمر|Omar/Umar/Omer
عبدالرحیم|Abdul Rahim/Abdurrahim/Abdul Raheem
روح الله|Rohullah/Ruhullah/Ruhollah
فیض|Faiz/Fayz
نقیب الله|Naqibullah/Naqib Ullah/Nakibullah
عصمت الله|Esmatullah/Ismatullah/Asmatullah
حکمت الله|Hekmatullah/Hikmatullah
امان الله|Amanullah/Aman Ullah
عبدالولی|Abdul Wali/Abdulwali
مرتضی|Murtaza/Mortaza/Murtada
رضا|Reza/Raza/Rida
مهدی|Mahdi/Mehdi
جواد|Jawad/Javad
قاسم|Qasim/Qasem/Kasim/Ghasem
نعمت الله|Nematullah/Nimatullah/Neamatullah
پرویز|Parwiz/Parviz/Perwez
وحید|Wahid/Vahid/Waheed
فواد|Fawad/Fuad/Fouad
زلمی|Zalmai/Zalmay
اجمل|Ajmal/Ajmel
اکبر|Akbar/Akber
الیاس|Ilyas/Elyas/Ilias
ادریس|Idris/Edris
سهراب|Sohrab/Suhrab
داوود|Dawood/Dawud/Davood/Daoud
عارف|Arif/Aref
صادق|Sadiq/Sadeq/Sadik
نبی|Nabi/Nabee
هارون|Haroon/Harun/Haroun
میرویس|Mirwais/Mirwaiz/Mir Wais
شاه ولی|Shah Wali/Shahwali
جان محمد|Jan Mohammad/Jan Muhammad/Janmohammad
خان آقا|Khan Agha/Khanagha
"""

AFG_FEMALE = """
فاطمه|Fatima/Fatema/Fatemeh/Fatma
مریم|Maryam/Mariam/Marjam
زهرا|Zahra/Zehra/Zohra
زینب|Zainab/Zaynab/Zeinab
شکیلا|Shakila/Shakeela
فریبا|Fariba/Fareeba
نرگس|Nargis/Narges
گلثوم|Gulsum/Kulsum/Kolsoom
بی بی|Bibi/Bibi Gul
عایشه|Aisha/Ayesha/Aysha/Aesha
ملالی|Malalai/Malalay
زرمینه|Zarmina/Zarmeena
گلالی|Gulalai/Gulalay
پروانه|Parwana/Parvaneh/Parvana
لیلا|Laila/Leila/Layla
سمیرا|Samira/Sameera
نادیه|Nadia/Nadiya
هدیه|Hadia/Hadiya
سهیلا|Sohaila/Suhaila/Soheila
رحیمه|Rahima/Raheema
کریمه|Karima/Kareema
شبنم|Shabnam/Shabnum
خدیجه|Khadija/Khadijeh/Khadeeja
فرزانه|Farzana/Farzaneh
نسرین|Nasrin/Nasreen
شیرین|Shirin/Shireen
ثریا|Suraya/Soraya/Thuraya
مینا|Mina/Meena
ناهید|Nahid/Naheed
حمیده|Hamida/Hameeda
زکیه|Zakia/Zakiya
روشنا|Roshana/Rushana
مرسل|Mursal/Morsal
حلیمه|Halima/Haleema
صدیقه|Sediqa/Sadiqa/Siddiqa
نجیبه|Najiba/Najeeba
ستاره|Setara/Sitara
فوزیه|Fawzia/Fauzia/Fowzia
طاهره|Tahira/Tahereh/Tahera
"""

AFG_FAMILY = """
احمدزی|Ahmadzai/Ahmadzay/Ahmedzai
محمدی|Mohammadi/Muhammadi/Mohamadi
احمدی|Ahmadi/Ahmady/Ahmedi
حسینی|Hussaini/Hosseini/Husaini/Hossaini
رحیمی|Rahimi/Rahemi
کریمی|Karimi/Karemi
هاشمی|Hashimi/Hashemi
نوری|Noori/Nuri/Nouri
امیری|Amiri/Amiry
سلطانی|Sultani/Soltani
رضایی|Rezaei/Rezai/Rezaie
جعفری|Jafari/Jaffari/Jafary
پوپل|Popal/Popel
صافی|Safi/Saafi
ستانکزی|Stanekzai/Stanikzai
وردک|Wardak/Wardag
منگل|Mangal/Mangel
زدران|Zadran/Zadraan
سادات|Sadat/Saadat
حیدری|Haidari/Haydari/Heidari
عزیزی|Azizi/Azeezi
حبیبی|Habibi/Habeebi
نظری|Nazari/Nazary
رحمانی|Rahmani/Rahmany
قادری|Qaderi/Qadiri/Kaderi
اکبری|Akbari/Akbary
حکیمی|Hakimi/Hakeemi
بارکزی|Barakzai/Barakzay
درانی|Durrani/Durani
یوسفزی|Yousafzai/Yousufzai/Yusufzai
نیازی|Niazi/Niyazi
صدیقی|Siddiqui/Sediqi/Sadiqi
ابراهیمی|Ibrahimi/Ebrahimi
کاکړ|Kakar/Kakkar
شینواری|Shinwari/Shinwary
مومند|Mohmand/Momand
نورزی|Noorzai/Nurzai
علیزی|Alizai/Alizay
"""

ARB_MALE = """
محمد|Mohammed/Mohamad/Muhammad/Mohamed/Mohammad/Mhd/Mohd
أحمد|Ahmad/Ahmed/Ahmet
علي|Ali/Aly
عبد الله|Abdullah/Abdallah/Abdulla/Abd Allah
خالد|Khaled/Khalid
عمر|Omar/Umar/Omer
حسين|Hussein/Husain/Hussain/Hossein/Husein
حسن|Hassan/Hasan
مصطفى|Mustafa/Moustafa/Mostafa/Mustapha
محمود|Mahmoud/Mahmud/Mahmood
عبد الرحمن|Abdulrahman/Abdul Rahman/Abdurrahman/Abd al-Rahman/Abdelrahman
يوسف|Youssef/Yousef/Yusuf/Yousif
إبراهيم|Ibrahim/Ebrahim/Ibraheem
عبد الكريم|Abdulkarim/Abdul Karim/Abdelkarim
عبد العزيز|Abdulaziz/Abdul Aziz/Abdelaziz
إسماعيل|Ismail/Ismael/Esmail
ياسر|Yasser/Yaser/Yasir
سامر|Samer/Sameer
سمير|Samir/Sameer/Semir
باسل|Basel/Bassel/Basil
وليد|Walid/Waleed/Walied
رامي|Rami/Ramy
فادي|Fadi/Fady
حمزة|Hamza/Hamzah/Hamze
أنس|Anas/Enes
زياد|Ziad/Ziyad/Zeyad
طارق|Tareq/Tarek/Tariq
جمال|Jamal/Gamal
كمال|Kamal/Kemal
سعيد|Said/Saeed/Saed
صالح|Saleh/Salih
صلاح|Salah/Salaah
عماد|Imad/Emad
ماهر|Maher/Mahir
منير|Munir/Mounir/Moneer
نزار|Nizar/Nezar
هيثم|Haitham/Haytham/Heitham
وائل|Wael/Wail
غسان|Ghassan/Ghasan
فراس|Firas/Feras
مازن|Mazen/Mazin
عدنان|Adnan/Adnane
جاسم|Jassim/Jasim/Jasem
كريم|Karim/Kareem
عباس|Abbas/Abas
حيدر|Haider/Haidar/Hayder
قاسم|Qassim/Kassem/Qasim/Kasim
رعد|Raad/Rad
سلام|Salam/Salaam
مهند|Muhannad/Mohannad
أيمن|Ayman/Aymen
بلال|Bilal/Belal
نور الدين|Nour Eddin/Nureddin/Nour al-Din/Noureddine
عثمان|Othman/Osman/Uthman/Usman
جعفر|Jaafar/Jafar
مروان|Marwan/Merwan
أسامة|Osama/Usama/Oussama
خليل|Khalil/Khaleel
نبيل|Nabil/Nabeel
سليمان|Sulaiman/Suleiman/Sleiman/Soliman
داود|Dawood/Daoud/Dawud
يحيى|Yahya/Yehia/Yahia
عيسى|Issa/Isa/Eisa
خضر|Khidr/Khudr/Khider
مراد|Murad/Mourad
خديدا|Khudeda/Khdeda/Khdida
"""

ARB_FEMALE = """
فاطمة|Fatima/Fatma/Fatemah/Fattoum
مريم|Maryam/Mariam/Mariyam
عائشة|Aisha/Aysha/Aicha/Ayesha
زينب|Zainab/Zeinab/Zaynab
نور|Nour/Noor/Nur
هبة|Heba/Hiba
آمنة|Amina/Amna/Aminah
خديجة|Khadija/Khadijah/Khadeeja
سارة|Sara/Sarah
رنا|Rana/Ranaa
لينا|Lina/Leena
ريم|Reem/Rim
دعاء|Doaa/Duaa/Dua
آية|Aya/Ayah
رهف|Rahaf/Rahef
إسراء|Israa/Esraa/Isra
سلمى|Salma/Selma
هدى|Huda/Hoda
رغد|Raghad/Raghd
ياسمين|Yasmin/Yasmeen/Jasmine
نادية|Nadia/Nadiya
سعاد|Suad/Souad/Soad
ليلى|Layla/Leila/Laila
منى|Mona/Muna
أمل|Amal/Amel
غادة|Ghada/Ghadah
حنان|Hanan/Hanane
رشا|Rasha/Racha
ولاء|Walaa/Wala
نسرين|Nisreen/Nesrin/Nasrin
شيماء|Shaimaa/Shaima/Chaimae
بتول|Batool/Batoul/Batul
زهراء|Zahraa/Zahra
رقية|Ruqayya/Roqaya/Rukia
حليمة|Halima/Haleema
سميرة|Samira/Sameera
جميلة|Jamila/Jameela
وفاء|Wafaa/Wafa
إيمان|Iman/Eman/Imane
ابتسام|Ibtisam/Ebtisam/Ibtissam
سناء|Sanaa/Sana
رحاب|Rehab/Rihab
"""

ARB_FAMILY = """
الأحمد|al-:Ahmad/Ahmed
الحسين|al-:Hussein/Husain/Hussain
العلي|al-:Ali/Aly
الجبوري|al-:Jubouri/Jubori/Juburi/Jabouri
الخطيب|al-:Khatib/Khateeb
المحمد|al-:Mohammed/Mohamad/Muhammad
حداد|Haddad/Hadad
درويش|Darwish/Darwich/Derwish
كردي|Kurdi/Kurdy/Kordi
الحلبي|al-:Halabi/Halaby
العبيدي|al-:Obeidi/Ubaidi/Obaidi
الدليمي|al-:Dulaimi/Dulaymi/Dlimi
المصري|al-:Masri/Masry/Misri
الحموي|al-:Hamwi/Hamawi
التميمي|al-:Tamimi/Tamimy
الشمري|al-:Shammari/Shamari
حمدان|Hamdan/Hamdane
خليل|Khalil/Khaleel
عثمان|Othman/Osman
الصالح|al-:Saleh/Salih
منصور|Mansour/Mansur/Mansoor
ناصر|Nasser/Naser/Nasir
الشيخ|al-:Sheikh/Shaikh/Cheikh
عباس|Abbas/Abas
قاسم|Kassem/Qasim/Qassem
الزبيدي|al-:Zubaidi/Zubeidi
الجنابي|al-:Janabi/Jenabi
الكبيسي|al-:Kubaisi/Kubaysi
الراوي|al-:Rawi/Rawy
الموسوي|al-:Musawi/Moussawi/Mousavi
النجار|al-:Najjar/Najar
العمر|al-:Omar/Umar
الحسن|al-:Hassan/Hasan
الإبراهيم|al-:Ibrahim/Ebrahim
السيد|al-:Sayed/Sayyid/Said
الأسعد|al-:Asaad/Asad
العبدالله|al-:Abdullah/Abdallah
حسن|Hassan/Hasan
يوسف|Youssef/Yousef/Yusuf
سليمان|Suleiman/Sulaiman/Sleiman
الحمد|al-:Hamad/Hamed
شعبان|Shaaban/Shaban/Chaaban
زيدان|Zaidan/Zeidan
بكور|Bakkour/Bakour
قدور|Kaddour/Qaddour
الرفاعي|al-:Rifai/Refai/Rifaie
البغدادي|al-:Baghdadi/Bagdadi
العزاوي|al-:Azzawi/Azawi
الساعدي|al-:Saadi/Sadi
"""

# Rohingya names, given with an Arabic-script form where one is written.
ROH_MALE = """
محمد|Mohammed/Mohammad/Muhammad/Md/Mohamed
نور|Nur/Noor/Nurul
عبد الحميد|Abdul Hamid/Abdul Hameed/Abdulhamid
أحمد|Ahmed/Ahmad/Ahmmed
حسين|Hossain/Hussain/Hussein/Husain/Hosen
رفيق|Rafiq/Rofique/Rafique
أيوب|Ayub/Ayoub/Ayyub
سيد|Sayed/Syed/Said
رشيد|Rashid/Roshid/Rasheed
إسماعيل|Ismail/Esmail/Ismael
أبو صديق|Abu Siddique/Abu Siddik/Abusiddik
شاه|Shah/Sha
جمال|Jamal/Zamal
هاشم|Hashim/Hashem/Hasim
عبد الشكور|Abdu Shukkur/Abdul Shukur/Abdus Shukkur
ظفر|Zafar/Jafar/Zofor
يونس|Younus/Yunus/Yonus
سليم|Salim/Selim/Saleem
إلياس|Ilyas/Eliyas/Elias
عبد الكريم|Abdul Karim/Abdul Korim
عبد الغفار|Abdul Gaffar/Abdul Gafur/Abdul Ghaffar
علي|Ali/Aly
ياسين|Yasin/Yaseen/Yassin
أنور|Anwar/Anowar/Anuwar
كمال|Kamal/Komal
فيصل|Faisal/Foysal/Faysal
حافظ|Hafez/Hafiz/Hafes
سلطان|Sultan/Sultaan
محب الله|Mohibullah/Muhib Ullah/Mohib Ullah
أمير حمزة|Amir Hamza/Amir Hamja
دل محمد|Dil Mohammed/Dil Mohammad/Dilmohammed
شفيع|Shafi/Shofi/Shafee
رحيم|Rahim/Rohim
"""

ROH_FEMALE = """
نور|Nur/Noor/Nurul
رشيدة|Rashida/Roshida/Rasheda
حسينة|Hasina/Hosina/Haseena
فاطمة|Fatema/Fatima/Fatuma
عائشة|Ayesha/Aysha/Aisha
رحيمة|Rahima/Rohima/Raheema
شميمة|Shamima/Samima/Shameema
جميلة|Jamalida/Jamila/Zamila
تسمين آرا|Tasmin Ara/Tosmin Ara/Tasminara
سنوارا|Sanuwara/Sanowara/Sonuwara
منوارا|Monuwara/Monowara/Manuara
جنة|Jannat/Jannath/Zannat
سميرة|Samira/Somira/Sumira
نسيمة|Nasima/Nosima/Naseema
رابعة|Rabia/Rabeya/Rabiya
حليمة|Halima/Holima/Haleema
زهورة|Johura/Zohura/Jahura
أمينة|Amina/Omina/Aminah
دلبهار|Dilbahar/Dil Bahar/Delbahar
"""

ROH_MALE_SUFFIX = """
عالم|Alam/Alom/Aalam
ميا|Miah/Mia/Meah
إسلام|Islam/Eslam
أحمد|Ahmed/Ahmad
حسين|Hossain/Hussain/Hosen
الله|Ullah/Ulla/Ollah
"""

ROH_FEMALE_SUFFIX = """
بيگم|Begum/Begom/Begam
خاتون|Khatun/Khatoon/Katun
أختر|Akter/Akhter/Aktar
بيبي|Bibi/Bibee
"""

# Burmese and Karen names: syllables, no family name. Last field: m, f or n.
MMR_SYLLABLES = """
အောင်|Aung|m
ကျော်|Kyaw/Chaw|m
မင်း|Min/Minn|m
ဇော်|Zaw/Zau|m
ထက်|Htet/Htat/Het|m
နိုင်|Naing/Nai|m
ထွန်း|Tun/Htun|m
စိုး|Soe/So|m
မြင့်|Myint/Mint|m
သိန်း|Thein/Thane|m
ကို|Ko/Koe|m
ဖြိုး|Phyo/Phyoe/Pyo|m
ရဲ|Ye/Yei|m
ပိုင်|Paing|m
မိုး|Moe/Mo/Moh|n
ဝင်း|Win/Winn|n
သန်း|Than/Thant|n
လှ|Hla/La|n
မျိုး|Myo/Myoe|n
သူ|Thu/Thuu|n
ရန်|Yan/Yann|n
လင်း|Lin/Linn|n
သက်|Thet/That|n
ဌေး|Htay/Htei|n
ဦး|Oo/U|n
ကြည်|Kyi/Chi|n
ပြည့်|Pyae/Pye|n
စန်း|San/Sann|n
ခင်|Khin/Kin|f
မြ|Mya/Myah|f
စု|Su/Soo|f
သန္တာ|Thandar/Thanda/Thander|f
သီတာ|Thida/Thidar/Theda|f
နွယ်|Nwe/Nway|f
အေး|Aye/Aie|f
အိ|Ei/Eii|f
နှင်း|Hnin/Nhin|f
ဇင်|Zin/Zinn|f
စန္ဒာ|Sandar/Sanda|f
ဖူး|Phu/Phoo|f
"""

MMR_PREFIX_MALE = "စော|Saw/Saw"
MMR_PREFIX_FEMALE = "နော်|Naw/Naw"
MMR_HONORIFIC_MALE = ("U", "Maung", "Ko")
MMR_HONORIFIC_FEMALE = ("Daw", "Ma")

BGD_MALE = """
আব্দুল করিম|Abdul Karim/Abdul Korim/Abdulkarim
শহিদুল|Shahidul/Shohidul/Sahidul
রফিকুল|Rafiqul/Rofiqul/Rafikul
আমিনুল|Aminul/Ameenul
জাহাঙ্গীর|Jahangir/Jahangeer/Jahagir
কামাল|Kamal/Kamaal
জামাল|Jamal/Jamaal
হাবিবুর|Habibur/Hobibur
মিজানুর|Mizanur/Mijanur/Mizanor
মাহবুবুর|Mahbubur/Mahabubur
আনিসুর|Anisur/Anisor
সাইফুল|Saiful/Shaiful/Saeful
নজরুল|Nazrul/Nojrul/Nazrool
সোহেল|Sohel/Suhel/Shohel
রুবেল|Rubel/Rubbel
শাকিল|Shakil/Sakil/Shakeel
সুমন|Sumon/Shumon/Suman
রাসেল|Rasel/Russell/Rasell
শফিকুল|Shafiqul/Shofiqul/Safikul
মোস্তাফিজুর|Mostafizur/Mustafizur/Mostafijur
আশরাফুল|Ashraful/Asraful
মনিরুল|Monirul/Manirul
জাহিদুল|Jahidul/Zahidul
কামরুল|Kamrul/Komrul
তারেক|Tarek/Tareq/Tarik
রাকিব|Rakib/Rakeeb
আলমগীর|Alamgir/Alomgir/Alamgeer
বাবুল|Babul/Babool
আবুল কালাম|Abul Kalam/Abul Kalaam/Abulkalam
আবুল হোসেন|Abul Hossain/Abul Hossen/Abul Hussain
দেলোয়ার|Delwar/Delowar/Dilwar
আব্দুর রহিম|Abdur Rahim/Abdur Rohim/Abdur Raheem
আব্দুর রহমান|Abdur Rahman/Abdur Rohman/Abdurrahman
আনোয়ার|Anwar/Anowar/Anoar
মোশাররফ|Mosharraf/Mosharof/Musharraf
ইকবাল|Iqbal/Ikbal/Ekbal
ফারুক|Faruk/Farooq/Faruque
রহিম|Rahim/Rohim
করিম|Karim/Korim
হাসান|Hasan/Hassan
জসিম|Jasim/Josim/Jashim
নাসির|Nasir/Nashir
মামুন|Mamun/Mamoon
রিপন|Ripon/Ripan
শামীম|Shamim/Samim/Shameem
মাসুদ|Masud/Masood/Mashud
খোকন|Khokon/Khokan
লিটন|Liton/Litton
"""

BGD_FEMALE = """
ফাতেমা|Fatema/Fatima/Fatma
রহিমা|Rahima/Rohima
নাসরিন|Nasrin/Nasreen/Nasrine
শিরিন|Shirin/Sirin/Shireen
আয়েশা|Ayesha/Aysha/Aesha
রোকেয়া|Rokeya/Rokeia/Rokaya
সালমা|Salma/Shalma
জেসমিন|Jesmin/Jasmin/Josmin
শাহনাজ|Shahnaz/Shanaz/Sahnaz
পারভীন|Parvin/Parveen/Pervin
রাজিয়া|Razia/Rajia/Raziya
রিনা|Rina/Reena
সুমি|Sumi/Shumi
রুমা|Ruma/Rooma
তাসলিমা|Taslima/Toslima
শাপলা|Shapla/Sapla
মুক্তা|Mukta/Mokta
লাইলা|Laila/Laily/Layla
নার্গিস|Nargis/Nargish
শারমিন|Sharmin/Sarmin
সাবিনা|Sabina/Shabina
কুলসুম|Kulsum/Kulsoom/Kolsum
হাসিনা|Hasina/Hoshina
মনোয়ারা|Monowara/Monoara/Manowara
রাশিদা|Rashida/Rasheda
আনোয়ারা|Anwara/Anowara
সুফিয়া|Sufia/Sufiya/Shufia
রুপা|Rupa/Roopa
শিলা|Shila/Sheela
মনি|Moni/Mony
লিপি|Lipi/Lipy
"""

BGD_SURNAME = """
ইসলাম|Islam/Eslam
রহমান|Rahman/Rohman/Rahaman
হোসেন|Hossain/Hossen/Hussain/Hosen
আহমেদ|Ahmed/Ahmad/Ahmmed
উদ্দিন|Uddin/Udin
আলী|Ali/Aly
মিয়া|Mia/Miah/Mian/Miya
সরকার|Sarkar/Sorkar/Sarker
চৌধুরী|Chowdhury/Chowdhuri/Choudhury
খান|Khan/Khaan
শেখ|Sheikh/Shaikh/Sekh
মোল্লা|Molla/Mollah/Mullah
তালুকদার|Talukder/Talukdar
ভূঁইয়া|Bhuiyan/Bhuiya/Bhuyan
হক|Haque/Hoque/Huq/Hoq
আলম|Alam/Alom
কবির|Kabir/Kobir
মাহমুদ|Mahmud/Mahmood
হাওলাদার|Howlader/Hawlader
বিশ্বাস|Biswas/Bishwas
মন্ডল|Mondal/Mandal
দাস|Das/Dash
রায়|Roy/Ray
সাহা|Saha/Shaha
পাল|Paul/Pal
"""

BGD_FEMALE_SURNAME = """
বেগম|Begum/Begom/Bagum
খাতুন|Khatun/Khatoon/Katun
আক্তার|Akter/Akhter/Aktar/Akhtar
সুলতানা|Sultana/Sultna
খানম|Khanam/Khanom
"""

BGD_PREFIX_MALE = "মোঃ|Md/Md./Mohammad/Mohd/Muhammad"
BGD_PREFIX_FEMALE = "মোসাম্মৎ|Mst/Mst./Mosammat/Most/Mossammat"

# Somali: the first field is the Somali orthography (Latin script).
SOM_MALE = """
Maxamed|Mohamed/Mohammed/Mahamed/Muhammad
Cabdullaahi|Abdullahi/Abdilahi/Abdulahi/Cabdullahi
Cali|Ali/Caali
Axmed|Ahmed/Ahmad/Axmad
Xasan|Hassan/Hasan/Xassan
Cabdi|Abdi/Abdy
Xuseen|Hussein/Husein/Xuseyn
Cumar|Omar/Umar
Yuusuf|Yusuf/Yousuf/Yussuf
Faarax|Farah/Faarah
Ismaaciil|Ismail/Ismaciil/Ismael
Ibraahim|Ibrahim/Ibraahin
Aadan|Adan/Aden/Adam
Jaamac|Jama/Jamac
Maxamuud|Mohamud/Mahmoud/Mahamud
Cismaan|Osman/Usman/Cusmaan
Cabdiraxmaan|Abdirahman/Abdulrahman/Abdiraxman
Cabdiqaadir|Abdikadir/Abdiqadir/Abdulkadir
Warsame|Warsame/Warsama
Guuleed|Guled/Gulled
Nuur|Nur/Noor
Shire|Shire/Shirreh
Siciid|Said/Saeed/Sicid
Xirsi|Hirsi/Hersi
Mahad|Mahad/Mahaad
Abshir|Abshir/Abshiir
Bashiir|Bashir/Basheer
Sharmaarke|Sharmarke/Sharmaake
Diiriye|Dirie/Diriye/Direye
Muuse|Musa/Muse/Moussa
Khaalid|Khalid/Khaled
Rashiid|Rashid/Rasheed
Cawil|Awil/Awiil
Daahir|Dahir/Daher
Sahal|Sahal/Sahl
Barre|Barre/Bare
Geedi|Gedi/Geddi
Samatar|Samatar/Samater
Buraale|Burale/Buraleh
Cilmi|Elmi/Ilmi
Xaaji|Haji/Hajji
Ciise|Issa/Isse/Ise
Yaasiin|Yasin/Yassin
Subeer|Zubeir/Zubair
Mukhtaar|Mukhtar/Muktar
Abuukar|Abukar/Abubakar
"""

SOM_FEMALE = """
Faadumo|Fadumo/Fatuma/Fatima/Faduma
Xaliimo|Halima/Halimo/Haliimo
Caasha|Asha/Aisha/Casha
Khadiija|Khadija/Kadija/Khadijo
Maryan|Mariam/Maryam/Maryan
Sahra|Sahra/Sahro/Zahra
Hodan|Hodan/Hoodan
Ifraax|Ifrah/Ifrax
Nasra|Nasra/Nasro
Ubax|Ubah/Ubaax
Xaawo|Hawa/Hawo/Xawa
Deeqa|Deka/Deqa/Deeqo
Aamina|Amina/Amino
Sucaad|Suad/Suaad/Sucad
Fartuun|Fartun/Fartuun
Istar|Istar/Ister
Ayaan|Ayan/Ayaan
Sagal|Sagal/Sagaal
Hibo|Hibo/Hiba
Nimco|Nimo/Nimca
Zamzam|Zamzam/Samsam
Shukri|Shukri/Shukria
Farxiya|Farhiya/Farhia
Idil|Idil/Idiil
Muna|Muna/Muuna
Najma|Najma/Najmo
Qamar|Qamar/Kamar
Saynab|Zeinab/Zainab/Saynab
Luul|Lul/Luul
Sacdiya|Saadia/Sadia
Ruqiya|Rukia/Ruqiya/Roqiya
Hamdi|Hamdi/Xamdi
Cawo|Awo/Caawo
Anab|Anab/Anaab
Ladan|Ladan/Laadan
"""

ERI_MALE = """
ተስፋይ|Tesfay/Tesfai/Tesfaye/Tesfa
ብርሃነ|Berhane/Birhane/Berhan/Brhane
ዮሃንስ|Yohannes/Yohanes/Johannes/Yohanis
ገብረሂወት|Gebrehiwet/Ghebrehiwet/Gebrehiwot
ሃይለ|Haile/Hayle/Hailie
ተኽለ|Tekle/Tecle/Teklay
መሓሪ|Mehari/Mehary/Meharie
ኪዳነ|Kidane/Kidan/Kidanu
ተወልደ|Tewelde/Tewolde/Teweldeh
ግርማይ|Ghirmay/Girmay/Ghirmai/Girmai
ሃብተ|Habte/Habtu/Habteh
ሃብቶም|Habtom/Habtoum
ወልዱ|Weldu/Woldu/Welday
ሚካኤል|Mikael/Michael/Mikiel
ዘርኣይ|Zerai/Zeray/Zerey
የማነ|Yemane/Yemani/Yamane
ኣማኑኤል|Amanuel/Emmanuel/Amanual
ፊልሞን|Filmon/Filimon/Philemon
ሮቤል|Robel/Robiel
መርሃዊ|Merhawi/Merhawie
ናትናኤል|Natnael/Nathanael/Natnail
ዳዊት|Dawit/Dawite/David
ሰለሞን|Solomon/Selomon/Salomon
ሳምሶን|Samson/Semson
ኣብርሃም|Abraham/Abrham/Abreham
ኣሮን|Aron/Aaron
ዮናስ|Yonas/Jonas/Yonass
ፍስሃ|Fisseha/Fiseha/Fsaha/Fesseha
ሙሴ|Muse/Musie/Moses
ተመስገን|Temesgen/Temesghen
ሄኖክ|Henok/Enoch/Hanok
ኢሳያስ|Isaias/Isayas/Esayas
ኤርምያስ|Ermias/Ermiyas/Jeremias
ብንያም|Biniam/Binyam/Benyam
ዓወት|Awet/Awot
ክብሮም|Kibrom/Kbrom/Kebrom
ተኪኤ|Tekie/Tekye
ኣለም|Alem/Aalem
ሓጎስ|Hagos/Hagose
ገረዝጊሄር|Gerezgiher/Gerezgher/Ghirezghiher
መብራህቱ|Mebrahtu/Mebrahtom/Mebrahto
ኣስመሮም|Asmerom/Asmerum
ጸጋይ|Tsegay/Tsegai/Tsegaye
ንጉሰ|Negusse/Negussie/Nigusse
ወልደሚካኤል|Weldemichael/Woldemichael/Weldemikael
ገብረመስቀል|Gebremeskel/Ghebremeskel/Gebremeskal
ፀሃየ|Tsehaye/Tsehaie/Tsehay
ኣብራሃ|Abraha/Abrha
ሓምድ|Hamid/Hamed
ኢድሪስ|Idris/Edris
ዑስማን|Osman/Usman
"""

ERI_FEMALE = """
ሳባ|Saba/Sabah
ሰላም|Selam/Salam
ሉዋም|Luwam/Luam/Lwam
ሄለን|Helen/Hellen/Helena
ኣስቴር|Aster/Astier/Ester
ጸጋ|Tsega/Tsegga/Tsiga
መብራት|Mebrat/Mibrat
ኣበባ|Abeba/Abeaba
ሕይወት|Hiwet/Hiwot/Hywet
ራሄል|Rahel/Rachel/Rahiel
ኤደን|Eden/Edan
ሰምሃር|Semhar/Simhar
ዊንታ|Winta/Wintana/Wenta
ዮርዳኖስ|Yordanos/Jordanos
ሩታ|Ruta/Rutha
ሰናይት|Senait/Senayt/Sinait
ፍዮሪ|Fiori/Fyori/Fiyori
ኤልሳ|Elsa/Elssa
ብርክቲ|Birikti/Brikti/Berikti
ትርሓስ|Tirhas/Trhas/Terhas
ለምለም|Lemlem/Lamlam
ዘውዲ|Zewdi/Zawdi/Zewdie
ኣልጋነሽ|Alganesh/Alganesch
ምሕረት|Mihret/Mehret/Mhret
ደሃብ|Dehab/Dahab
ክብራ|Kibra/Kbra
ናርዶስ|Nardos/Nardose
ቤተልሄም|Betelhem/Bethlehem/Betlehem
ሜሮን|Meron/Miron
ፌቨን|Feven/Fiven
ሰሚራ|Semira/Samira
ሳሮን|Saron/Sharon
"""

# Vietnamese: written with diacritics; the Latin variant without them is derived.
VNM_FAMILY = """
Nguyễn
Trần
Lê
Phạm
Hoàng
Huỳnh
Phan
Vũ
Võ
Đặng
Bùi
Đỗ
Hồ
Ngô
Dương
Lý
Trương
Đinh
Lâm
Mai
"""
# Share of the population carrying each family name, in the order above.
VNM_FAMILY_SHARE = (38, 11, 9.5, 7, 4.1, 4, 4.5, 3.9, 2.5, 2.1, 2, 1.4, 1.3, 1.3, 1, 0.5, 0.5, 0.4, 0.4, 0.4)

VNM_MIDDLE_MALE = "Văn Văn Văn Văn Văn Đức Hữu Minh Quang Thanh Công Xuân Ngọc Quốc"
VNM_MIDDLE_FEMALE = "Thị Thị Thị Thị Thị Thị Ngọc Thanh Thu Kim Minh Mỹ Hồng Phương Bích"
VNM_GIVEN_MALE = (
    "Anh Minh Hùng Dũng Tuấn Nam Hải Sơn Long Cường An Bình Đức Huy Khánh Phúc Quân "
    "Tâm Thắng Thành Trung Việt Hiếu Hoàng Kiên Lâm Lộc Nghĩa Phong Quang Tài Thịnh "
    "Toàn Tùng Vinh Đạt Hưng Khoa Nhân Tiến"
)
VNM_GIVEN_FEMALE = (
    "Linh Hương Lan Mai Anh Trang Thảo Hà Hạnh Hằng Hoa Huyền Loan Ngọc Nhung Oanh "
    "Phương Quyên Thu Thủy Tuyết Vân Vy Yến Hiền Hồng Nga Nhi Quỳnh Trâm Diệp Giang "
    "Hậu Liên My Nguyệt Như Tâm Thơ Uyên"
)

# Places of origin by origin group: NATIVE-or-main|spelling variants.
PLACES = {
    "AFG": """
Kabul|Kabul/Kabol
Herat|Herat/Hirat
Kandahar|Kandahar/Qandahar
Mazar-i-Sharif|Mazar-i-Sharif/Mazar-e-Sharif/Mazar e Sharif/Mazar
Jalalabad|Jalalabad/Jalal Abad
Kunduz|Kunduz/Qunduz
Ghazni|Ghazni/Ghazny
Baghlan|Baghlan/Pul-e-Khumri
Helmand|Helmand/Lashkar Gah
Nangarhar|Nangarhar/Ningarhar
Khost|Khost/Khowst
Logar|Logar/Pul-i-Alam
Wardak|Wardak/Maidan Wardak
Paktia|Paktia/Gardez
Bamyan|Bamyan/Bamiyan
Faryab|Faryab/Maymana
Takhar|Takhar/Taloqan
Badakhshan|Badakhshan/Faizabad
Laghman|Laghman/Mehtarlam
Parwan|Parwan/Charikar
Daikundi|Daikundi/Daykundi
Ghor|Ghor/Chaghcharan
Farah|Farah/Farah City
Kapisa|Kapisa/Mahmud Raqi
""",
    "SYR": """
Aleppo|Aleppo/Halab/Alep
Idlib|Idlib/Idleb
Homs|Homs/Hims
Rif Dimashq|Rif Dimashq/Damascus Countryside/Rural Damascus
Damascus|Damascus/Dimashq
Daraa|Daraa/Deraa/Dar'a
Hama|Hama/Hamah
Deir ez-Zor|Deir ez-Zor/Deir Ezzor/Dayr az-Zawr
Raqqa|Raqqa/Ar-Raqqah/Rakka
Al-Hasakah|Al-Hasakah/Hasakeh/Hassakeh
Latakia|Latakia/Lattakia
Qamishli|Qamishli/Qamishlo
Afrin|Afrin/Efrin
Kobani|Kobani/Ain al-Arab
Douma|Douma/Duma
Tartus|Tartus/Tartous
As-Suwayda|As-Suwayda/Sweida
Manbij|Manbij/Menbij
""",
    "IRQ": """
Mosul|Mosul/Al-Mawsil
Baghdad|Baghdad/Bagdad
Sinjar|Sinjar/Shingal
Anbar|Anbar/Ramadi
Fallujah|Fallujah/Falluja
Kirkuk|Kirkuk/Kerkuk
Salah al-Din|Salah al-Din/Tikrit
Diyala|Diyala/Baqubah
Basra|Basra/Basrah
Tal Afar|Tal Afar/Telafer
Erbil|Erbil/Arbil/Hawler
Duhok|Duhok/Dohuk
Sulaymaniyah|Sulaymaniyah/Sulaimani
Najaf|Najaf/An-Najaf
Karbala|Karbala/Kerbala
""",
    "ROH": """
Maungdaw|Maungdaw/Maung Daw/Mongdu
Buthidaung|Buthidaung/Buthi Daung
Rathedaung|Rathedaung/Rathe Daung
Sittwe|Sittwe/Akyab
Kyauktaw|Kyauktaw/Kyauk Taw
Minbya|Minbya/Min Bya
""",
    "MMR": """
Hpa-An|Hpa-An/Pa-an/Hpaan
Myawaddy|Myawaddy/Myawadi
Kawkareik|Kawkareik/Kaw Ka Reik
Hlaingbwe|Hlaingbwe/Hlaing Bwe
Yangon|Yangon/Rangoon
Mandalay|Mandalay/Mandale
Bago|Bago/Pegu
Loikaw|Loikaw/Loi Kaw
Mawlamyine|Mawlamyine/Moulmein
Dawei|Dawei/Tavoy
""",
    "BGD": """
Dhaka|Dhaka/Dacca
Chittagong|Chittagong/Chattogram
Cox's Bazar|Cox's Bazar/Coxs Bazar/Cox Bazar
Sylhet|Sylhet/Sileti
Noakhali|Noakhali/Noakhaly
Comilla|Comilla/Cumilla
Sunamganj|Sunamganj/Sunamgonj
Madaripur|Madaripur/Madaripoor
Shariatpur|Shariatpur/Shariatpoor
Feni|Feni/Fenny
Brahmanbaria|Brahmanbaria/B. Baria
Barisal|Barisal/Barishal
Khulna|Khulna/Khoolna
Mymensingh|Mymensingh/Mymensing
""",
    "SOM": """
Mogadishu|Mogadishu/Muqdisho/Mogadiscio
Baidoa|Baidoa/Baydhabo
Kismayo|Kismayo/Kismaayo/Chisimaio
Beledweyne|Beledweyne/Beled Weyne/Baladweyne
Afgooye|Afgooye/Afgoye
Marka|Marka/Merca
Jowhar|Jowhar/Jawhar
Galkayo|Galkayo/Gaalkacyo
Luuq|Luuq/Lugh
Dhobley|Dhobley/Dhoobley
Bardhere|Bardhere/Baardheere
Hargeisa|Hargeisa/Hargeysa
Bosaso|Bosaso/Boosaaso
Burao|Burao/Burco
Garowe|Garowe/Garoowe
""",
    "ERI": """
Asmara|Asmara/Asmera
Keren|Keren/Kerén
Mendefera|Mendefera/Mendefra
Adi Keyh|Adi Keyh/Adi Keih/Adikeyih
Dekemhare|Dekemhare/Dekemhar
Adi Quala|Adi Quala/Adi Kwala
Barentu|Barentu/Barentou
Massawa|Massawa/Mitsiwa
Senafe|Senafe/Senafé
Tesseney|Tesseney/Teseney
Agordat|Agordat/Akordat
Areza|Areza/Arezza
""",
    "VNM": """
Nghệ An|Nghe An/Nghệ An
Hà Tĩnh|Ha Tinh/Hà Tĩnh
Quảng Bình|Quang Binh/Quảng Bình
Hải Phòng|Hai Phong/Haiphong
Hà Nội|Ha Noi/Hanoi/Hà Nội
Thanh Hóa|Thanh Hoa/Thanh Hóa
Hải Dương|Hai Duong/Hải Dương
Nam Định|Nam Dinh/Nam Định
Thái Bình|Thai Binh/Thái Bình
Quảng Ninh|Quang Ninh/Quảng Ninh
Hồ Chí Minh|Ho Chi Minh City/HCMC/Saigon
""",
}
