"""Common Danish first and last names, for fictional people in the demo and the benchmarks."""

from __future__ import annotations

FEMALE = (
    "Anne", "Kirsten", "Mette", "Hanne", "Helle", "Anna", "Susanne", "Lene", "Maria", "Marianne",
    "Lone", "Camilla", "Pia", "Louise", "Charlotte", "Tina", "Gitte", "Bente", "Jette", "Karen",
    "Inge", "Lotte", "Julie", "Ida", "Emma", "Sofie", "Laura", "Signe", "Maja", "Freja",
    "Cecilie", "Mathilde", "Sara", "Line", "Rikke", "Malene", "Dorthe", "Birgitte", "Heidi",
    "Ulla", "Annette", "Tove", "Ellen", "Ingrid", "Bodil", "Åse", "Ditte", "Nanna", "Katrine",
    "Stine", "Trine", "Sanne", "Marie", "Josefine", "Astrid", "Agnete", "Birthe", "Solveig",
)  # fmt: skip
MALE = (
    "Peter", "Jens", "Michael", "Lars", "Thomas", "Henrik", "Søren", "Christian", "Martin",
    "Jan", "Morten", "Jesper", "Anders", "Niels", "Mads", "Rasmus", "Mikkel", "Kim", "Hans",
    "Per", "Ole", "Frederik", "Jørgen", "Poul", "Steen", "Torben", "Bo", "Kasper", "Jacob",
    "Simon", "Nikolaj", "Emil", "Jonas", "Oliver", "William", "Lucas", "Magnus", "Mathias",
    "Tobias", "Kristian", "Brian", "Claus", "Erik", "Jørn", "Bjørn", "Finn", "Carsten", "René",
    "Kenneth", "Allan", "Dennis", "Flemming", "Bent", "Knud", "Preben", "Asger", "Ebbe", "Aksel",
)  # fmt: skip
LAST = (
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt", "Eriksen",
    "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen",
    "Østergaard", "Jeppesen", "Vestergaard", "Nissen", "Lauridsen", "Kjær", "Jepsen",
    "Mogensen", "Nørgaard", "Jessen", "Søndergaard", "Bertelsen", "Skov", "Dam", "Bach",
    "Bruun", "Lindberg", "Krog", "Friis", "Dahl", "Juhl", "Winther", "Bech", "Lassen", "Berg",
    "Kjeldsen", "Carlsen", "Brandt", "Ravn", "Thygesen", "Bak", "Mathiesen", "Kofoed",
    "Gregersen", "Villadsen", "Hald", "Koch", "Overgaard", "Toft", "Kruse", "Steffensen",
)  # fmt: skip
FIRST = FEMALE + MALE
