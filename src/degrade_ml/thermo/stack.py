"""The thermodynamics of one query: the electrode potential, the SE window and every contact, and the
product classes thermodynamics expects there (the thermodynamic baseline of SPEC §6).

Conventions (README, "Thermodynamics"):
- The electrode potential is the given voltage, else the material's nominal potential (materials table),
  else 0 V for Li metal; other electrodes without either are reported without a potential (chemical contact).
- Without a coating the SE sees the electrode potential: its own decomposition outside the window and its
  reaction with the electrode (Li open) give the products.
- An insulating coating (LiNbO3, Li3PO4, a halide) keeps the potential away: SE|coating is a chemical (closed)
  contact, and only the coating faces the electrode potential (coating|electrode, Li open).
- A metallic interlayer (carbon, Ag–C, Si, In: `conduction.passes_potential`) passes the
  potential on: SE|interlayer is open to Li at the electrode potential, and the SE decomposes on its own outside its
  window as if bare.
- A lithiated cathode below its own oxidation onset meets a contact that would take Li up closed to Li
  (`ThermoEngine.at_electrode`).
- A coating whose own transition metal is reduced to an electronic conductor at the electrode potential (Ti from a
  LATP-type phosphate or LLTO, Nb from LiNbO3, Y from Li3YCl6 at Li metal) adds that conductor to the interphase,
  whatever the contact's minimum forms (`coating_reduction`). Below the SE's window, such a conductor (or any metal of
  a halide coating) breaks the shield once formed (`breach`): the SE meets the electrode potential where it has."""

from __future__ import annotations

from dataclasses import dataclass

from degrade_ml.chemistry.formulas import formula_elements
from degrade_ml.thermo.conduction import (breach_warning, breaching_conductors, conducts_electrons, interlayer_warning,
                                         passes_potential)
from degrade_ml.thermo.product_classes import classes_of_phase_names
from degrade_ml.thermo.engine import Contact, ThermoEngine, Window
from degrade_ml.vocab import PRODUCT_CLASSES


@dataclass(frozen=True)
class InterfaceThermo:
    potential_V: float | None
    window: Window
    se_electrode: Contact
    se_coating: Contact | None
    coating_electrode: Contact | None
    se_decomposition: tuple[str, ...]  # phases of the SE alone at the potential, () inside the window
    se_decomposition_energy_meV_atom: float | None  # the SE's own decomposition energy at the potential, ≤ 0
    coverage: str  # "complete", or "approximate" when a material is placed on the hull of simpler phases
    product_classes: tuple[str, ...]
    phases: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def contacts(self) -> tuple[Contact, ...]:
        return tuple(c for c in (self.se_electrode, self.se_coating, self.coating_electrode) if c is not None)

    @property
    def contacts_present(self) -> tuple[Contact, ...]:
        """The contacts that physically exist: SE|electrode without a coating, the two coating contacts with one."""
        if self.se_coating is None:
            return (self.se_electrode,)
        return tuple(c for c in (self.se_coating, self.coating_electrode) if c is not None)


def outside_window(window: Window, potential_V: float | None) -> bool:
    if potential_V is None:
        return False
    below = window.reduction_limit_V is not None and potential_V < window.reduction_limit_V
    above = window.oxidation_limit_V is not None and potential_V > window.oxidation_limit_V
    return below or above


def analyse_interface(engine: ThermoEngine, se: str, electrode: str, coating: str = "",
                      potential_V: float | None = None) -> InterfaceThermo:
    """ThermoCoverageError (a ValueError naming the element) when a material lies outside the table. Computed once
    per interface and engine; features, output columns, explanations and plots all read this one result."""
    key = ("interface", se, electrode, coating or "", None if potential_V is None else round(float(potential_V), 4))
    return engine.memoised(key, lambda: _analyse(interface_parts(engine, se, electrode, coating or "", potential_V)))


@dataclass(frozen=True)
class InterfaceParts:
    """What an interface is made of, each part computed once per engine and kept there."""

    coating: str
    potential_V: float | None  # 0 V against Li metal
    window: Window
    se_electrode: Contact
    se_coating: Contact | None
    coating_electrode: Contact | None
    exposed: bool  # the SE faces the electrode potential (no coating, or a metallic interlayer)
    se_decomposition: tuple[tuple[str, ...], tuple[str, ...]]  # phases and classes, () inside the window
    se_decomposition_energy_meV_atom: float | None
    coating_reduction: tuple[tuple[str, ...], tuple[str, ...]]  # `coating_reduction`, () without a coating
    breach: tuple[str, ...]  # `breaching_conductors` below the SE's window, () elsewhere


def interface_parts(engine: ThermoEngine, se: str, electrode: str, coating: str = "",
                    potential_V: float | None = None) -> InterfaceParts:
    """The SE's window, the contacts and the SE's own decomposition at the potential: all that costs time in an
    interface (what a query's time budget runs), without assembling the whole (which a batch does with numpy)."""
    window = engine.window(se)
    se_electrode = engine.at_electrode(engine.contact(se, electrode, potential_V))
    if engine.material(electrode).composition.reduced_formula == "Li":
        potential_V = 0.0
    exposed = not coating or passes_potential(coating)
    se_coating = coating_electrode = None
    if coating:
        se_coating = engine.contact(se, coating, potential_V if exposed else None)
        coating_electrode = engine.at_electrode(engine.contact(coating, electrode, potential_V))
    shielded = coating and not exposed and potential_V is not None  # an insulating coating faces the potential
    reduced = coating_reduction(engine, coating, potential_V) if shielded else ((), ())
    below_window = shielded and window.reduction_limit_V is not None and potential_V < window.reduction_limit_V
    breach = ()
    if below_window:
        breach = breaching_conductors(coating_electrode.products + reduced[0], coating, electrode, se)
    meets = exposed or bool(breach)  # the SE faces the potential, also through a breached coating
    decomposition = se_decomposition(engine, se, potential_V) if meets and outside_window(window, potential_V) else ((), ())
    return InterfaceParts(
        coating=coating, potential_V=potential_V, window=window, se_electrode=se_electrode, se_coating=se_coating,
        coating_electrode=coating_electrode, exposed=exposed, se_decomposition=decomposition,
        se_decomposition_energy_meV_atom=None if potential_V is None else se_decomposition_energy(engine, se, potential_V),
        coating_reduction=reduced, breach=breach,
    )


def _analyse(parts: InterfaceParts) -> InterfaceThermo:
    # each contact that exists, and whether it is the SE's, read on the SE's side (batch._contacts)
    if parts.coating:
        present = ((parts.se_coating, True), (parts.coating_electrode, False))
        contacts = (parts.se_electrode, parts.se_coating, parts.coating_electrode)
    else:
        present, contacts = ((parts.se_electrode, True),), (parts.se_electrode,)
    decomposition, decomposition_classes = parts.se_decomposition
    reduced, reduced_classes = parts.coating_reduction
    phases = {*decomposition, *reduced}.union(*(c.interphase_products if se else c.products for c, se in present))
    classes = {*decomposition_classes, *reduced_classes}.union(
        *(c.interphase_classes if se else c.product_classes for c, se in present))
    warnings = dict.fromkeys(parts.window.warnings)
    for contact in contacts:
        warnings.update(dict.fromkeys(contact.warnings))
    if parts.coating and parts.exposed:
        warnings[interlayer_warning(parts.coating)] = None
    if parts.breach:
        warnings[breach_warning(parts.coating, parts.breach, parts.coating_electrode.reaction_energy_meV_atom)] = None
    return InterfaceThermo(
        potential_V=parts.potential_V, window=parts.window, se_electrode=parts.se_electrode,
        se_coating=parts.se_coating, coating_electrode=parts.coating_electrode, se_decomposition=decomposition,
        se_decomposition_energy_meV_atom=parts.se_decomposition_energy_meV_atom,
        coverage="complete" if all(c.coverage == "complete" for c in contacts) else "approximate",
        product_classes=tuple(k for k in PRODUCT_CLASSES if k in classes), phases=tuple(sorted(phases)),
        warnings=tuple(warnings),
    )


def se_decomposition(engine: ThermoEngine, se: str, potential_V: float) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The phases of the SE alone at the potential and their classes (its own elements only), once per engine."""
    def compute() -> tuple[tuple[str, ...], tuple[str, ...]]:
        phases = tuple(p for p in engine.decomposition_at(se, potential_V, without_gases=True) if p != "Li")
        return phases, classes_of_phase_names(phases, [engine.material(se).composition])

    return engine.memoised(("se decomposition", se, round(potential_V, 4)), compute)


def coating_reduction(engine: ThermoEngine, coating: str,
                      potential_V: float) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The electronic conductors the coating's own transition metals form at the potential it faces, and their
    classes, once per engine. The contact's minimum can keep a transition metal oxidised where Li in excess reduces it
    (LiTi2(PO4)3 at Li metal: Li2TiO3 and Li3P at the minimum, Ti metal once lithiated), and a partly reduced
    transition metal conducts: the mixed-conducting interphase of LATP and LLTO on Li. A main-group coating (Al2O3,
    LiPON, LiF, Li3BO3) forms none: lithiated part way it stays an insulator, and the literature reports those
    interlayers protective."""
    def compute() -> tuple[tuple[str, ...], tuple[str, ...]]:
        composition = engine.material(coating).composition
        metals = {str(el) for el in composition.elements if el.is_transition_metal}
        phases = tuple(p for p in engine.decomposition_at(coating, potential_V, without_gases=True)
                       if conducts_electrons(p) and metals & formula_elements(p))
        return phases, classes_of_phase_names(phases, [composition])

    return engine.memoised(("coating reduction", coating, round(potential_V, 4)), compute)


def se_decomposition_energy(engine: ThermoEngine, se: str, potential_V: float) -> float:
    """The SE's own decomposition energy at the potential (meV/atom, ≤ 0), once per engine."""
    return engine.memoised(("se decomposition energy", se, round(potential_V, 4)),
                           lambda: engine.decomposition_energy(se, potential_V))
