"""Controlled vocabularies of the product contract (SPEC §2); keys are exact and case-sensitive."""

PRODUCT_CLASSES: tuple[str, ...] = (
    "Li2S", "Li3P", "LiX", "Li_M_alloy", "S", "Li2Sn",
    "P2Sx", "POx", "SOx", "TM_S", "TM_P", "TM_reduced",
)
STABILITY_CLASSES: tuple[str, ...] = ("stable", "passivating", "continuous")
DEGRADATION_MODES: tuple[str, ...] = (
    "dendrite", "void", "crack", "contact_loss", "space_charge_layer",
    "interdiffusion", "volume_expansion", "amorphization", "rock_salt_transition", "oxygen_loss",
)
SE_FORMS: tuple[str, ...] = ("glass", "glass-ceramic", "crystalline", "unknown")
STATES: tuple[str, ...] = ("contact", "cycled", "charged", "heated")
ROLES: tuple[str, ...] = ("anode", "cathode")
TECHNIQUES: tuple[str, ...] = (
    "XPS", "HAXPES", "XAS", "Raman", "ToF-SIMS", "SEM", "TEM", "STEM", "EELS", "EDS", "FIB", "XT", "OM",
    "NMR", "MRI", "AFM", "STXM", "XRD", "SXRD", "NDP", "EIS", "DFT", "electrochemistry",
)
MATERIAL_FAMILIES: tuple[str, ...] = (
    "sulfide_electrolyte", "li_metal", "li_alloy", "layered_oxide_cathode", "spinel_oxide_cathode",
    "olivine_cathode", "other_cathode", "coating", "interlayer", "other",
)
SE_FAMILIES: tuple[str, ...] = ("glass/glass-ceramic", "LGPS-type", "argyrodite", "other")

# the query of SPEC §4: three materials and the stated conditions (a screen states only the voltage)
MATERIAL_COLUMNS: tuple[str, ...] = ("se", "electrode", "coating")
CONDITION_COLUMNS: tuple[str, ...] = ("voltage_V", "temperature_C", "pressure_MPa")
QUERY_COLUMNS: tuple[str, ...] = (*MATERIAL_COLUMNS, *CONDITION_COLUMNS)
SCREEN_COLUMNS: tuple[str, ...] = (*MATERIAL_COLUMNS, "voltage_V")

LIST_SEPARATOR = ";"


def split_list(cell: object) -> list[str]:
    """A `;`-joined cell as its keys; empty or missing cells are the empty list."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return []
    return [key.strip() for key in str(cell).split(LIST_SEPARATOR) if key.strip()]


def join_list(keys: list[str] | tuple[str, ...]) -> str:
    return LIST_SEPARATOR.join(keys)
