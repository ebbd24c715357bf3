"""Russian and Ukrainian people's names written the English way (transforms/nlp/latin.py, morphology.py)."""

from transforms.nlp.latin import initials_first, latin
from transforms.nlp.morphology import nominative


def test_initials_after_a_surname_go_before_it_with_their_dots():
    assert latin(initials_first("Семенов Д."), "ru") == "D. Semenov"
    assert latin(initials_first("Иванов И.И."), "ru") == "I. I. Ivanov"
    assert initials_first("Д. Семенов") == "Д. Семенов"
    assert initials_first("Сергей Собянин") == "Сергей Собянин"


def test_a_name_alone_the_dictionary_only_guesses_as_a_given_name_is_one():
    assert nominative("Буальваном", "ru") == "Буальван"  # "с Буальваном": not an adjective's "Буальваный"
    assert nominative("Санду", "ru") == "Санду"  # a known given name's case form alone stays as written
    assert nominative("Ермошиной", "ru") == "Ермошина"


def test_a_given_name_takes_its_usual_english_form_and_the_surname_its_transliteration():
    assert latin("Сергей Собянин", "ru") == "Sergei Sobyanin"  # not the transliteration's "Sergey"
    assert latin("Александр", "ru") == "Alexander"
    assert latin("Джо", "ru") == "Joe" and latin("Энн", "ru") == "Ann"  # English names written in Cyrillic
    assert latin("Наталья Гундарева", "ru") == "Natalya Gundareva"  # no usual form: the transliteration


def test_a_surname_printed_without_its_yo_after_a_soft_sign_is_written_as_the_english_press_writes_it():
    from transforms.nlp.other_languages import in_latin

    assert in_latin("Андрей Воробьев", "ru", {}) == "Andrei Vorobyov"  # not "Vorobyev"
    assert in_latin("Владимир Соловьев", "ru", {}) == "Vladimir Solovyov"
    assert in_latin("Семенов Д.", "ru", {}) == "D. Semenov"  # after a consonant: as printed
    assert in_latin("Григорьев", "ru", {}) == "Grigoryev"  # a surname with no "ё"


def test_the_preposition_before_a_surname_alone_tells_whose_case_form_it_is():
    from transforms.nlp.morphology import canonical_names

    # accusative after "про": a woman's "Гундарева"; alone, the ending reads as the masculine dative as well
    assert canonical_names(["Гундареву"], "ru", "Вы смотрели фильм про Гундареву?") == {"Гундареву": "Гундарева"}
    assert canonical_names(["Смирнова"], "ru", "Мы были у Смирнова вчера.") == {"Смирнова": "Смирнов"}  # genitive


def test_a_foreign_surname_alone_in_cyrillic_takes_the_full_name_of_the_one_person_known_who_sounds_so():
    from transforms.nlp.other_languages import in_latin

    # the alias data's people, in a case form or a spelling the aliases do not list
    assert in_latin("Трамп", "ru", {}) == "Donald Trump"  # not the transliteration "Tramp"
    assert in_latin("Мерц", "ru", {}) == "Friedrich Merz"
    # the run's English names first: a surname alone as a full name of two words already did
    assert in_latin("Швайнштайгер", "ru", {"schweinsteiger": "Bastian Schweinsteiger"}) == "Bastian Schweinsteiger"
    # a Russian name no one known sounds as, and a short word that would sound as too many, stay transliterated
    assert in_latin("Гундарева", "ru", {}) == "Gundareva"
    assert in_latin("Рут", "ru", {}) == "Rut"  # not Mark Rutte: two consonants tell too little


def test_a_word_alone_takes_a_run_name_only_where_it_sounds_as_the_whole_surname_does():
    from transforms.nlp.other_languages import in_latin

    # the full names of a run of English news: a surname alone must sound as one of them, vowels where they fall
    # too, not share its consonants only
    run = {"toshack": "John Toshack", "duncan": "Alan Duncan", "dugarry": "Christophe Dugarry",
           "powell": "Sandy Powell", "cucurella": "Marc Cucurella", "matthaus": "Lothar Matthäus"}
    assert in_latin("Тоска", "ru", run) == "Toska"  # the word for longing, opening a sentence
    assert in_latin("Дудинкин", "ru", run) == "Dudinkin"
    assert in_latin("Хайдеггер", "ru", run) == "Khaydegger"
    assert in_latin("Карл", "ru", run) == "Karl"
    assert in_latin("Павел", "ru", run) == "Pavel"  # a given name alone is no one's surname
    assert in_latin("Маттеус", "ru", run) == "Lothar Matthäus"
