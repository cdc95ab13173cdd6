//! Repeated items of the form (Flink's jobs), with add and remove buttons.

use leptos::prelude::*;
use waymark_core::form::Group;

use crate::components::{focus_later, FieldInput};
use crate::context::Ctx;
use crate::state::field_id;

/// The items of a repeated group (`job1.*`, `job2.*`, …). Each item's fields
/// are the group's fields; "Add job" appends one and focuses it, "Remove
/// orders" deletes that item's keys and focuses "Add job".
#[component]
pub fn Jobs(
    /// The form's group.
    group: Group,
) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let prefix = group.prefix;
    let item = group.item;
    let add_id = format!("add-{prefix}");
    let first_field = group.fields.first().map(|f| f.key).unwrap_or("name");
    let template = group.template.clone();
    let add = move |_| {
        let mut n = 0;
        ctx.edit(|q| n = q.add_group(prefix, &template, first_field));
        focus_later(field_id(&format!("{prefix}{n}.{first_field}")));
    };
    let numbers = move || ctx.query.with(|q| q.group_numbers(prefix));
    let group_for_items = group.clone();
    let item_add_id = add_id.clone();
    view! {
        <fieldset class="section group">
            <legend>{group.title}</legend>
            <For each=numbers key=|n| *n let:n>
                <JobItem group=group_for_items.clone() n add_id=item_add_id.clone() />
            </For>
            <p class="note" hidden=move || !numbers().is_empty()>
                {format!("No {item}s yet.")}
            </p>
            <button type="button" class="button" id=add_id.clone() on:click=add>
                {format!("Add {item}")}
            </button>
        </fieldset>
    }
}

/// One item of a [`Jobs`] group.
#[component]
fn JobItem(group: Group, n: u32, add_id: String) -> impl IntoView {
    let ctx = expect_context::<Ctx>();
    let prefix = group.prefix;
    let item = group.item;
    let name_value = ctx.value(&format!("{prefix}{n}.name"));
    let name = move || name_value.with(|v| v.trim().to_string());
    let legend = move || match name() {
        n2 if n2.is_empty() => format!("{} {n}", capitalise(item)),
        named => format!("{} {n}: {named}", capitalise(item)),
    };
    let remove_label = move || match name() {
        n2 if n2.is_empty() => format!("Remove {item} {n}"),
        named => format!("Remove {named}"),
    };
    let remove = move |_| {
        ctx.edit(|q| q.remove_group(prefix, n));
        ctx.announce(format!("Removed {item} {n}"));
        focus_later(add_id.clone());
    };
    view! {
        <fieldset class="item" data-testid="group-item">
            <legend>{legend}</legend>
            {group
                .fields
                .into_iter()
                .map(|f| {
                    let key = format!("{prefix}{n}.{}", f.key);
                    view! { <FieldInput field=f key /> }
                })
                .collect_view()}
            <button type="button" class="button button--quiet" on:click=remove>
                {remove_label}
            </button>
        </fieldset>
    }
}

/// `job` → `Job`. Item names come from the form schema and are ASCII; the
/// ASCII case mapping keeps the Unicode tables out of the wasm.
fn capitalise(word: &str) -> String {
    let mut out = word.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}
