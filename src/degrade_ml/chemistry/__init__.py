"""Chemistry without thermodynamics: formulas, element classes, the review's rules, the phases behind a
product class and the structural family (and so the potential) of an electrode."""
