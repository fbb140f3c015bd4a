import math
import re
from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date, formatLang

# What a PostgreSQL int4 column holds.
INT4_RANGE = (-(2**31), 2**31 - 1)
# The dates a collection record may sensibly carry; anything else is a typing error (0026 for 2026…).
DATE_RANGE = (date(1900, 1, 1), date(2999, 12, 31))
# Field types whose required value PostgreSQL would store as NULL (or Odoo as a blank) when it is empty.
REQUIRED_TYPES = {"char", "text", "selection", "date", "datetime", "many2one", "many2many", "one2many"}
UNIQUE_DEFINITION = re.compile(r"\s*UNIQUE\s*\(([^)]+)\)\s*", re.IGNORECASE)


class RecouvrementInputMixin(models.AbstractModel):
    """Refuses bad input of the collection models with a French message naming the record and the field, before
    anything is written.

    Odoo and PostgreSQL refuse some values themselves, but with a technical message (a Python ValueError, or a
    psycopg2 error once the row is inserted): an unparsable date, a choice that is not in the selection, an
    integer beyond int4, a number that is not finite, a required value left empty, a duplicate of a unique
    constraint. They are checked here first. Models add their own ranges with ``_input_bounds``; everything that
    needs the record itself stays in their ``@api.constrains``.
    """

    _name = "recouvrement.input.mixin"
    _description = "Collection Input Checks"

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    def _input_checked_field(self, field):
        """Whether ``field`` is checked: every field of a collection model, and the collection fields this addon
        adds to the models it extends (the others are their addons' business)."""
        return self._name.startswith("recouvrement.") or field._module == "recouvrement_creances"

    @api.model
    def _input_bounds(self):
        """{field name: (lowest, highest)} of the numeric fields with a range, ``None`` for no limit."""
        return {}

    @api.model
    def _input_date_range(self):
        """(first, last) date any date field may carry."""
        return DATE_RANGE

    # ------------------------------------------------------------------
    # Create and write
    # ------------------------------------------------------------------

    @api.model
    def _prepare_create_values(self, vals_list):
        for vals in vals_list:
            self._input_check_vals(vals)
        vals_list = super()._prepare_create_values(vals_list)
        self._input_check_required(vals_list, creating=True)
        self._input_check_unique(vals_list)
        return vals_list

    def write(self, vals):
        self._input_check_vals(vals)
        self._input_check_required([vals])
        self._input_check_unique([vals])
        return super().write(vals)

    # ------------------------------------------------------------------
    # Checks
    # ------------------------------------------------------------------

    def _input_check_vals(self, vals):
        """Check each value of ``vals`` against its field's type and range."""
        bounds = self._input_bounds()
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None or not self._input_checked_field(field):
                continue  # an unknown field is refused by Odoo itself, by its name
            checker = getattr(self, f"_input_check_{field.type}", None)
            number = checker(field, value, vals) if checker else None
            if number is not None and name in bounds:
                self._input_check_bounds(field, number, bounds[name], vals)

    def _input_check_date(self, field, value, vals):
        try:
            day = fields.Date.to_date(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.env._(
                    "%(record)s: “%(value)s” is not a date for “%(field)s” (expected: YYYY-MM-DD).",
                    **self._input_names(field, vals),
                    value=value,
                )
            ) from None
        self._input_check_date_range(field, day, vals)

    def _input_check_datetime(self, field, value, vals):
        try:
            moment = fields.Datetime.to_datetime(value)
        except (TypeError, ValueError):
            raise ValidationError(
                self.env._(
                    "%(record)s: “%(value)s” is not a date and time for “%(field)s” (expected: YYYY-MM-DD HH:MM:SS).",
                    **self._input_names(field, vals),
                    value=value,
                )
            ) from None
        self._input_check_date_range(field, moment and moment.date(), vals)

    def _input_check_date_range(self, field, day, vals):
        first, last = self._input_date_range()
        if day and not first <= day <= last:
            raise ValidationError(
                self.env._(
                    "%(record)s: the date %(value)s of “%(field)s” makes no sense (expected from %(first)s to "
                    "%(last)s).",
                    **self._input_names(field, vals),
                    value=format_date(self.env, day),
                    first=format_date(self.env, first),
                    last=format_date(self.env, last),
                )
            )

    def _input_check_selection(self, field, value, vals):
        if value and field.validate and value not in field.get_values(self.env):
            raise ValidationError(
                self.env._(
                    "%(record)s: “%(value)s” is not a choice of “%(field)s” (choices: %(choices)s).",
                    **self._input_names(field, vals),
                    value=value,
                    choices=", ".join(label for _value, label in field._description_selection(self.env)),
                )
            )

    def _input_check_integer(self, field, value, vals):
        """The integer ``value`` stands for, within int4 (or within the field's own bounds, said first)."""
        try:
            number = float(value or 0) if isinstance(value, float) else int(value or 0)
        except (TypeError, ValueError, OverflowError):
            number = math.nan
        if not math.isfinite(number) or number != int(number):
            raise ValidationError(
                self.env._(
                    "%(record)s: “%(field)s” must be a whole number, “%(value)s” is not one.",
                    **self._input_names(field, vals),
                    value=value,
                )
            )
        number = int(number)
        if not INT4_RANGE[0] <= number <= INT4_RANGE[1]:
            # the field's own range says more than int4's
            self._input_check_bounds(field, number, self._input_bounds().get(field.name, INT4_RANGE), vals)
            self._input_check_bounds(field, number, INT4_RANGE, vals)
        return number

    def _input_check_float(self, field, value, vals):
        """The finite number ``value`` stands for."""
        try:
            number = float(value or 0.0)
        except (TypeError, ValueError):
            number = math.nan
        if not math.isfinite(number):
            raise ValidationError(
                self.env._(
                    "%(record)s: “%(field)s” must be a number, “%(value)s” is not one.",
                    **self._input_names(field, vals),
                    value=value,
                )
            )
        return number

    def _input_check_monetary(self, field, value, vals):
        return self._input_check_float(field, value, vals)

    def _input_check_char(self, field, value, vals):
        if field.size and isinstance(value, str) and len(value) > field.size:
            raise ValidationError(
                self.env._(
                    "%(record)s: “%(field)s” has at most %(size)s characters, “%(value)s” has %(length)s.",
                    **self._input_names(field, vals),
                    value=value,
                    size=field.size,
                    length=len(value),
                )
            )

    def _input_check_bounds(self, field, number, bounds, vals):
        lowest, highest = bounds
        if (lowest is None or number >= lowest) and (highest is None or number <= highest):
            return
        args = {
            **self._input_names(field, vals),
            "value": self._input_format_number(field, number),
            "lowest": self._input_format_number(field, lowest),
            "highest": self._input_format_number(field, highest),
        }
        if highest is None and lowest == 0:
            message = self.env._("%(record)s: “%(field)s” cannot be negative (%(value)s).", **args)
        elif highest is None:
            message = self.env._("%(record)s: “%(field)s” must be at least %(lowest)s (%(value)s).", **args)
        elif lowest is None:
            message = self.env._("%(record)s: “%(field)s” must be at most %(highest)s (%(value)s).", **args)
        else:
            message = self.env._(
                "%(record)s: “%(field)s” must be between %(lowest)s and %(highest)s (%(value)s).", **args
            )
        raise ValidationError(message)

    def _input_check_required(self, vals_list, creating=False):
        """Refuse a required value left empty: on create every required field (its default included), on write
        those of the values written (an x2many's commands are left to the constraints)."""
        types = REQUIRED_TYPES if creating else REQUIRED_TYPES - {"many2many", "one2many"}
        required = [
            field
            for field in self._fields.values()
            if field.required
            and field.type in types
            and (not creating or (field.store and not field.compute))
            and self._input_checked_field(field)
        ]
        for vals in vals_list:
            for field in required:
                if not creating and field.name not in vals:
                    continue
                value = vals.get(field.name)
                if field.type in ("many2many", "one2many"):
                    empty = not self._input_x2many_ids(value) and not any(
                        isinstance(command, list | tuple) and command[0] == fields.Command.CREATE
                        for command in value or ()
                    )
                elif isinstance(value, str):
                    empty = not value.strip()
                else:
                    empty = not value
                if empty:
                    raise ValidationError(
                        self.env._("%(record)s: “%(field)s” is required.", **self._input_names(field, vals))
                    )

    def _input_check_unique(self, vals_list):
        """Refuse, before PostgreSQL does it with a technical error, what duplicates a UNIQUE constraint: against
        the records in the database and among the records written together."""
        for constraint, names in self._input_unique_constraints():
            if not any(name in vals for vals in vals_list for name in names):
                continue
            if self:  # write: the records' own values where vals leaves them
                vals = vals_list[0]
                written = [
                    ({name: vals[name] if name in vals else record[name] for name in names}, vals) for record in self
                ]
            else:
                written = [(vals, vals) for vals in vals_list]
            keys = [
                (tuple(self._input_key(self._fields[name], values.get(name)) for name in names), vals)
                for values, vals in written
            ]
            keys = [(key, vals) for key, vals in keys if None not in key]  # NULLs never collide
            clash = next(
                ((key, vals) for index, (key, vals) in enumerate(keys) if key in {k for k, _v in keys[:index]}), None
            )
            if clash is None and keys:
                domain = [(name, "in", list({key[index] for key, _vals in keys})) for index, name in enumerate(names)]
                existing = (
                    self.sudo()
                    .with_context(active_test=False)
                    .search_fetch([*domain, ("id", "not in", self.ids)], names)
                )
                taken = {
                    tuple(self._input_key(self._fields[name], record[name]) for name in names) for record in existing
                }
                clash = next(((key, vals) for key, vals in keys if key in taken), None)
            if clash is not None:
                raise ValidationError(self._input_unique_message(constraint, names, *clash))

    def _input_unique_constraints(self):
        """[(constraint, field names)] of the model's UNIQUE constraints on plain columns of checked fields."""
        result = []
        for constraint in self._table_objects.values():
            if not isinstance(constraint, models.Constraint):
                continue
            match = UNIQUE_DEFINITION.fullmatch(constraint.get_definition(self.pool))
            names = [name.strip().strip('"') for name in match.group(1).split(",")] if match else []
            if names and all(
                name in self._fields
                and self._fields[name].column_type
                and not self._fields[name].translate
                and self._input_checked_field(self._fields[name])
                for name in names
            ):
                result.append((constraint, names))
        return result

    def _input_key(self, field, value):
        """``value`` of ``field`` as the database compares it, or None for NULL."""
        if field.type == "many2one":
            value = value.id if isinstance(value, models.BaseModel) else value
            return value or None
        if field.type in ("integer", "float", "monetary", "boolean"):
            return value or 0
        if value is None or value is False:
            return None
        if field.type == "date":
            return fields.Date.to_date(value)
        if field.type == "datetime":
            return fields.Datetime.to_datetime(value)
        return value

    def _input_unique_message(self, constraint, names, key, vals):
        """The constraint's own message (translated, as Odoo shows it), with the values already taken."""
        message = (
            self.env["ir.model.constraint"]
            .sudo()
            .search_fetch(
                [("name", "=", constraint.full_name(self)), ("model.model", "=", self._name)], ["message"], limit=1
            )
            .message
            or constraint.get_error_message(self)
            or self.env._("This value is already taken.")
        )
        values = ", ".join(
            self.env._(
                "%(field)s “%(value)s”",
                field=self._fields[name]._description_string(self.env),
                value=self._input_format_value(self._fields[name], value),
            )
            for name, value in zip(names, key, strict=True)
        )
        return self.env._(
            "%(record)s: %(message)s Already taken: %(values)s.",
            record=self._input_record_label(vals),
            message=message[:1].lower() + message[1:],
            values=values,
        )

    # ------------------------------------------------------------------
    # Invoices
    # ------------------------------------------------------------------

    def _input_check_invoices(self, moves, partner, currency=None, open_only=True):
        """Refuse ``moves`` unless there is at least one and they are posted customer invoices of ``partner``'s
        commercial entity, in ``currency`` when given, and still open when ``open_only``."""
        record = self._input_record_label()
        if not moves:
            raise ValidationError(self.env._("%(record)s: choose at least one invoice.", record=record))
        refused = moves.filtered(
            lambda move: move.move_type != "out_invoice"
            or move.state != "posted"
            or (open_only and move.payment_state not in ("not_paid", "partial"))
        )
        if refused:
            raise ValidationError(
                self.env._(
                    "%(record)s: only posted customer invoices still to be paid can be chosen (refused: "
                    "%(invoices)s).",
                    record=record,
                    invoices=", ".join(refused.mapped("display_name")),
                )
            )
        commercial = partner.commercial_partner_id
        refused = moves.filtered(lambda move: move.commercial_partner_id != commercial)
        if refused:
            raise ValidationError(
                self.env._(
                    "%(record)s: only invoices of %(customer)s can be chosen (refused: %(invoices)s, of "
                    "%(others)s).",
                    record=record,
                    customer=commercial.display_name,
                    invoices=", ".join(refused.mapped("display_name")),
                    others=", ".join(refused.commercial_partner_id.mapped("display_name")),
                )
            )
        refused = moves.filtered(lambda move: currency and move.currency_id != currency)
        if refused:
            raise ValidationError(
                self.env._(
                    "%(record)s: only invoices in %(currency)s can be chosen (refused: %(invoices)s).",
                    record=record,
                    currency=currency.name,
                    invoices=", ".join(refused.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # Messages
    # ------------------------------------------------------------------

    def _input_record_label(self, vals=None):
        """The record the message is about: its kind, and its name when it has one (``vals`` on create)."""
        model = self.env["ir.model"]._get(self._name).name or self._description
        rec_field = self._fields.get(self._rec_name)
        if len(self) == 1:
            name = self.display_name if self._rec_name else ""  # not "model,id"
        elif not self and vals and rec_field and rec_field.type == "char" and isinstance(vals.get(rec_field.name), str):
            name = vals[rec_field.name].strip()
        else:
            name = ""
        return self.env._("%(model)s “%(name)s”", model=model, name=name) if name else model

    def _input_names(self, field, vals):
        return {"record": self._input_record_label(vals), "field": field._description_string(self.env)}

    def _input_format_number(self, field, number):
        if number is None:
            return ""
        get_digits = getattr(field, "get_digits", None)
        scale = ((get_digits and get_digits(self.env)) or (0, 2))[1] or 2
        return formatLang(self.env, number, digits=0 if float(number).is_integer() else scale)

    def _input_format_value(self, field, value):
        if field.type == "many2one":
            return self.env[field.comodel_name].sudo().browse(value).display_name
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value, value)
        if field.type == "date":
            return format_date(self.env, value)
        return value

    @api.model
    def _input_x2many_ids(self, commands, ids=()):
        """The ids an x2many field holds once ``commands`` (or a list of ids) are applied to ``ids``; the records
        a command creates are not counted."""
        result = list(ids)
        for command in commands or ():
            if isinstance(command, int):
                result.append(command)
            elif command[0] == fields.Command.SET:
                result = list(command[2])
            elif command[0] == fields.Command.LINK:
                result.append(command[1])
            elif command[0] in (fields.Command.UNLINK, fields.Command.DELETE):
                result = [id_ for id_ in result if id_ != command[1]]
            elif command[0] == fields.Command.CLEAR:
                result = []
        return list(dict.fromkeys(result))
