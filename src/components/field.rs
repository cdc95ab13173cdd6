//! One input of the scenario form.

use leptos::prelude::*;
use waymark_core::form::{Field, Kind};

use crate::context::Ctx;
use crate::state::field_id;

/// A labelled input for link key `key`: a select, checkboxes, a text or a
/// number input, with its help text and the planner's problems at that key.
#[component]
pub fn FieldInput(
    /// What the form says about the field.
    field: Field,
    /// The full link key (`from`, `job2.jar`).
    key: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let id = field_id(&key);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let problems = ctx.problems_at(&key);
    let invalid = move || !problems.with(Vec::is_empty);
    let described = {
        let (help_id, error_id) = (help_id.clone(), error_id.clone());
        move || {
            if invalid() {
                format!("{help_id} {error_id}")
            } else {
                help_id.clone()
            }
        }
    };
    let value = ctx.value(&key);
    let set = {
        let key = key.clone();
        move |v: String| ctx.set_value(&key, &v)
    };
    // A field for other deployments stays out of the way, unless the link
    // gives it a value: then it shows, so its problem has a place.
    let applies = {
        let when = field.when.map(|w| (w, ctx.value(w.key)));
        Memo::new(move |_| {
            when.is_none_or(|(w, v)| v.with(|v| w.holds(v))) || !value.with(String::is_empty)
        })
    };
    let error = view! {
        <p id=error_id class="error" hidden=move || !invalid()>
            {move || problems.get().join(" ")}
        </p>
    };
    let help = view! { <p id=help_id class="help">{field.help}</p> };
    // Under a choice other fields depend on: what it set aside, if anything.
    let controls = ctx.query.with_untracked(|q| {
        waymark_core::form::form(q.platform()).is_some_and(|f| crate::context::controls(&f, &key))
    });
    let aside = controls.then(|| {
        let text = move || {
            let keys: Vec<String> = ctx.aside.with(|a| a.iter().map(|(k, _)| k.clone()).collect());
            format!("Kept aside while they do not apply: {}.", keys.join(", "))
        };
        view! {
            <p class="help" data-testid="set-aside" hidden=move || ctx.aside.with(Vec::is_empty)>{text}</p>
        }
    });

    let input = match field.kind {
        Kind::Choice(options) => {
            let all = options.clone();
            let unset = if field.placeholder.is_empty() {
                "Not set"
            } else {
                field.placeholder
            };
            let extra = move || {
                let v = value.get();
                if v.is_empty() {
                    Some(view! { <option value="" selected=true>{unset}</option> }.into_any())
                } else if options_lacks(&all, &v) {
                    let label = format!("{v} (from the link)");
                    Some(view! { <option value=v selected=true>{label}</option> }.into_any())
                } else {
                    None
                }
            };
            let opts = options
                .into_iter()
                .map(|(v, label)| {
                    let selected = {
                        let v = v.clone();
                        move || value.with(|c| *c == v)
                    };
                    view! { <option value=v prop:selected=selected>{label}</option> }
                })
                .collect_view();
            view! {
                <select
                    id=id.clone()
                    aria-describedby=described
                    aria-invalid=move || invalid().then_some("true")
                    on:change:target=move |ev| set(ev.target().value())
                >
                    {extra}
                    {opts}
                </select>
            }
            .into_any()
        }
        Kind::Flags(flags) => {
            return view! {
                <FlagsInput key flags label=field.label help=field.help problems id />
            }
            .into_any();
        }
        Kind::Text => view! {
            <input
                type="text"
                id=id.clone()
                placeholder=placeholder(field.placeholder, ctx.today)
                autocomplete="off"
                spellcheck="false"
                aria-describedby=described
                aria-invalid=move || invalid().then_some("true")
                prop:value=value
                on:input:target=move |ev| set(ev.target().value())
            />
        }
        .into_any(),
        Kind::Number { min, max } => view! {
            <input
                type="number"
                id=id.clone()
                min=min
                max=max
                step="1"
                inputmode="numeric"
                placeholder=field.placeholder
                aria-describedby=described
                aria-invalid=move || invalid().then_some("true")
                prop:value=value
                on:input:target=move |ev| set(ev.target().value())
            />
        }
        .into_any(),
    };
    view! {
        <div class="field" class:field--invalid=invalid hidden=move || !applies.get()>
            <label for=id>{field.label}</label>
            {input}
            {help}
            {aside}
            {error}
        </div>
    }
    .into_any()
}

/// The placeholder shown for `text`: a date field that means today when
/// empty shows the date the page plans with.
pub fn placeholder(text: &'static str, today: i64) -> String {
    if text == waymark_core::form::TODAY {
        format!(
            "today ({})",
            waymark_core::hdinsight::Date::from_unix_days(today)
        )
    } else {
        text.to_string()
    }
}

fn options_lacks(options: &[(String, String)], value: &str) -> bool {
    !options.iter().any(|(v, _)| v == value)
}

/// Checkboxes for a comma-separated key, each with its label and hint.
/// Items the form does not know (typed into the link) stay visible so they
/// can be unticked.
#[component]
fn FlagsInput(
    key: String,
    flags: Vec<(&'static str, &'static str, &'static str)>,
    label: &'static str,
    help: &'static str,
    problems: Signal<Vec<String>>,
    id: String,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");
    let invalid = move || !problems.with(Vec::is_empty);
    let described = help_id.clone();
    let current = {
        let value = ctx.value(&key);
        Memo::new(move |_| value.with(|v| crate::state::flags_of(v)))
    };
    let known: Vec<&'static str> = flags.iter().map(|f| f.0).collect();
    let boxes = flags
        .into_iter()
        .map(|(value, label, hint)| {
            let key = key.clone();
            view! {
                <FlagBox key id=format!("{id}-{value}") value=value.to_string() label=label.to_string() hint current />
            }
        })
        .collect_view();
    let unknown = {
        let key = key.clone();
        let id = id.clone();
        move || {
            current
                .get()
                .into_iter()
                .filter(|f| !known.contains(&f.as_str()))
                .map(|f| {
                    let label = format!("{f} (from the link)");
                    view! {
                        <FlagBox key=key.clone() id=format!("{id}-x-{f}") value=f label hint="Not one Waymark knows: untick to remove." current />
                    }
                })
                .collect_view()
        }
    };
    view! {
        <fieldset
            class="field flags"
            class:field--invalid=invalid
            id=id
            tabindex="-1"
            aria-describedby=described
        >
            <legend>{label}</legend>
            <p id=help_id class="help">{help}</p>
            <div class="flags__list">
                {boxes}
                {unknown}
            </div>
            <p id=error_id class="error" hidden=move || !invalid()>
                {move || problems.get().join(" ")}
            </p>
        </fieldset>
    }
}

/// One labelled checkbox of a [`FlagsInput`].
#[component]
fn FlagBox(
    key: String,
    id: String,
    value: String,
    label: String,
    hint: &'static str,
    current: Memo<Vec<String>>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let hint_id = format!("{id}-hint");
    let checked = {
        let value = value.clone();
        move || current.with(|c| c.contains(&value))
    };
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id.clone()
                aria-describedby=hint_id.clone()
                prop:checked=checked
                on:change:target=move |ev| {
                    let on = ev.target().checked();
                    ctx.edit(|q| q.set_flag(&key, &value, on));
                }
            />
            <label for=id>{label}</label>
            <span class="hint" id=hint_id>{hint}</span>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::placeholder;

    #[test]
    fn a_date_that_means_today_shows_the_date_planned_with() {
        // 2026-12-07 is 20,794 days after 1970-01-01.
        assert_eq!(
            placeholder(waymark_core::form::TODAY, 20_794),
            "today (2026-12-07)"
        );
        assert_eq!(
            placeholder(waymark_core::form::TODAY, 20_795),
            "today (2026-12-08)"
        );
        assert_eq!(placeholder("/opt/flink", 20_794), "/opt/flink");
    }
}
