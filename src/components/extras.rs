//! Link keys the form has no field for.

use leptos::prelude::*;
use waymark_core::form;

use crate::components::{focus_later, ShowAll, SHOWN_AT_ONCE};
use crate::context::Ctx;
use crate::state::{field_id, group_key};

/// Pairs of the link that no field shows (unknown keys, repeated keys, keys
/// such as `stop1-home` the form leaves to the link), editable and removable,
/// so a problem at any key has a place next to its value.
#[component]
pub fn ExtraKeys(
    /// The link's current platform.
    platform: Memo<String>,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Cut like the problem list: 5,000 unknown keys stay usable (m15).
    let all = RwSignal::new(false);
    let extras = Memo::new(move |_| {
        let form = form::form(&platform.get());
        ctx.query.with(|q| {
            q.extras(|key| {
                if key == "v" || key == "platform" {
                    return true;
                }
                let Some(f) = &form else { return false };
                let in_sections = f
                    .sections
                    .iter()
                    .flat_map(|s| &s.fields)
                    .any(|fd| fd.key == key);
                let in_group = f.group.as_ref().is_some_and(|g| {
                    group_key(key, g.prefix)
                        .is_some_and(|(_, field)| g.fields.iter().any(|fd| fd.key == field))
                });
                in_sections || in_group
            })
        })
    });
    view! {
        <Show when=move || !extras.with(Vec::is_empty)>
            <fieldset class="section extras">
                <legend>"Other link keys"</legend>
                <p class="help">"Keys in the link that the form has no field for."</p>
                <div id="extras-list">
                <For
                    each=move || {
                        let limit = if all.get() { usize::MAX } else { SHOWN_AT_ONCE };
                        extras.with(|e| e.iter().take(limit).cloned().collect::<Vec<_>>())
                    }
                    key=|(i, k, _)| (*i, k.clone())
                    children=move |(i, key, _)| view! { <ExtraKey index=i key /> }
                />
                </div>
                <ShowAll all total=Signal::derive(move || extras.with(Vec::len)) what="keys" controls="extras-list" />
            </fieldset>
        </Show>
    }
}

/// One extra pair: its key as the label, its value editable, a remove button.
#[component]
fn ExtraKey(index: usize, key: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    // Repeats share a key, so the id carries the index; the first occurrence
    // of an unknown key also answers to the key's plain id.
    let first = ctx
        .query
        .with_untracked(|q| q.pairs().iter().position(|(k, _)| *k == key))
        == Some(index);
    let id = if first {
        field_id(&key)
    } else {
        format!("{}-{index}", field_id(&key))
    };
    let error_id = format!("{id}-error");
    let problems = ctx.problems_at(&key);
    let invalid = move || !problems.with(Vec::is_empty);
    let value = move || {
        ctx.query.with(|q| {
            q.pairs()
                .get(index)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        })
    };
    let remove_label = format!("Remove {key}");
    view! {
        <div class="field extra" class:field--invalid=invalid>
            <label for=id.clone()>{key.clone()}</label>
            <div class="extra__row">
                <input
                    type="text"
                    id=id
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby=error_id.clone()
                    aria-invalid=move || invalid().then_some("true")
                    prop:value=value
                    on:input:target=move |ev| ctx.edit(|q| q.set_at(index, &ev.target().value()))
                />
                <button
                    type="button"
                    class="button button--quiet"
                    on:click=move |_| {
                        ctx.edit(|q| q.remove_at(index));
                        ctx.announce(format!("Removed {key}"));
                        focus_later("scenario-title".to_string());
                    }
                >
                    {remove_label}
                </button>
            </div>
            <p id=error_id class="error" hidden=move || !invalid()>
                {move || problems.get().join(" ")}
            </p>
        </div>
    }
}
