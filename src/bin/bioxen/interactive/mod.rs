//! `bioxen interactive`: menus over a live hypervisor (in the spirit of upstream's questionary
//! CLI, over the real core). Every operation goes through a [`LiveSession`], so what succeeds
//! is recorded with its simulated time and can be saved as a session the playground imports.
//! Simulated time moves only when the user advances it.

mod create;
mod fields;
mod host;
mod prompt;
mod session;
mod views;
mod vms;

use bioxen::session::LiveSession;
use bioxen::VmState;
use inquire::Select;

use crate::args::InteractiveArgs;
use crate::error::CliError;
use crate::files;
use crate::fmt;
use crate::report;

use self::create::create_vm;
use self::host::{advance, atp, switch_scheduler};
use self::prompt::{ask, Flow};
use self::session::{load, new_session, save};
use self::views::{resources, status};
use self::vms::{allocate, manage, tune};

const MENU: &[&str] = &[
    "Status and metrics",
    "Create a VM",
    "Manage a VM (start, pause, resume, stop, restart, destroy)",
    "Allocate resources to a VM",
    "Tune a VM's scheduling (priority, weight, cap)",
    "Advance simulated time",
    "Switch scheduler",
    "Set the ATP supply (nutrient shift)",
    "Profiler: bottlenecks",
    "Resources (the ledger)",
    "Save the session",
    "Load a session",
    "New session (choose chassis and scheduler)",
    "Quit",
];

pub fn main(a: &InteractiveArgs) -> Result<(), CliError> {
    println!("BioXen interactive: a hypervisor on the simulation core.");
    println!("Simulated time moves only when you advance it. Esc goes back; Ctrl-C quits.\n");
    let mut live = match &a.load {
        Some(path) => LiveSession::new(files::load_session(path)?)?,
        None => match new_session()? {
            Some(l) => l,
            None => return Ok(()),
        },
    };
    loop {
        let h = live.hypervisor();
        let running = h
            .list_vms()
            .iter()
            .filter(|v| v.state == VmState::Running)
            .count();
        println!(
            "\nt = {} · {} chassis · {} · {} VM(s), {} running",
            fmt::clock(h.now_ms()),
            live.session().chassis.label(),
            h.scheduler_kind().as_str(),
            h.vm_count(),
            running
        );
        let choice = match ask(Select::new("What next?", MENU.to_vec())
            .with_page_size(14)
            .prompt())?
        {
            Ok(c) => c,
            Err(_) => break,
        };
        let flow = match choice {
            "Status and metrics" => status(&live),
            "Create a VM" => create_vm(&mut live)?,
            "Manage a VM (start, pause, resume, stop, restart, destroy)" => manage(&mut live)?,
            "Allocate resources to a VM" => allocate(&mut live)?,
            "Tune a VM's scheduling (priority, weight, cap)" => tune(&mut live)?,
            "Advance simulated time" => advance(&mut live)?,
            "Switch scheduler" => switch_scheduler(&mut live)?,
            "Set the ATP supply (nutrient shift)" => atp(&mut live)?,
            "Profiler: bottlenecks" => {
                print!("{}", report::profiler_text(live.hypervisor()));
                Flow::Back
            }
            "Resources (the ledger)" => resources(&live),
            "Save the session" => save(&live)?,
            "Load a session" => load(&mut live)?,
            "New session (choose chassis and scheduler)" => match new_session()? {
                Some(l) => {
                    live = l;
                    Flow::Back
                }
                None => Flow::Back,
            },
            _ => Flow::Quit,
        };
        if let Flow::Quit = flow {
            break;
        }
    }
    println!("Bye.");
    Ok(())
}
