//! `auction`: an auction house. Sellers list items in categories with a reserve price and a
//! closing time; bidders bid; a scheduled reducer closes each auction and pays the seller
//! through the bank. A subscription to the bank's accounts withdraws the bids of accounts that
//! get frozen.
//!
//! Shows: hash and btree indexes (equality and range lookups), custom enums (one of them
//! indexed), an ephemeral table, scheduling, typed calls to another module's reducer and query,
//! and a subscription to another module's table.

use interstice_sdk::prelude::*;

interstice_module!(visibility: Public, authorities: [Scheduler]);

interstice_sdk::import!("bindings/bank.json");

/// What is being sold. Unit variants only, so it can be indexed.
#[interstice_type]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Art,
    Books,
    Games,
    Other,
}

/// Where an auction stands.
#[interstice_type]
#[derive(Debug, Clone, PartialEq)]
pub enum Status {
    Open,
    Sold { buyer: String, price: u64 },
    /// Closed without a sale, and why.
    Unsold(String),
}

#[table]
#[derive(Debug, Clone, PartialEq)]
pub struct Items {
    #[primary_key(auto_inc)]
    pub id: u64,
    #[index(hash)]
    pub seller: String,
    pub title: String,
    #[index(btree)]
    pub category: Category,
    pub reserve: u64,
    #[index(btree)]
    pub closes_at: Timestamp,
    pub status: Status,
}

#[table]
#[derive(Debug, Clone, PartialEq)]
pub struct Bids {
    #[primary_key(auto_inc)]
    pub id: u64,
    #[index(hash)]
    pub item: u64,
    #[index(hash)]
    pub bidder: String,
    #[index(btree)]
    pub amount: u64,
    pub placed_at: Timestamp,
}

/// Who is looking at which item right now: not worth logging, empty after a restart.
#[table(ephemeral)]
#[derive(Debug, Clone, PartialEq)]
pub struct Watchers {
    #[primary_key]
    pub name: String,
    pub item: u64,
}

fn open_item(ctx: &ReducerContext, id: u64) -> Result<Items, String> {
    let item = ctx.current.items().get(id).ok_or_else(|| format!("no item {}", id))?;
    if item.status != Status::Open {
        return Err(format!("item {} is closed", id));
    }
    Ok(item)
}

/// Lists an item; its auction closes after `duration_secs`.
#[reducer]
fn list_item(ctx: ReducerContext, seller: String, title: String, category: Category, reserve: u64, duration_secs: u32) -> Result<(), String> {
    let duration = Duration::from_secs(duration_secs as u64);
    let item = ctx.current.items().insert(Items {
        id: 0,
        seller,
        title,
        category,
        reserve,
        closes_at: ctx.time().after(duration),
        status: Status::Open,
    })?;
    ctx.schedule(duration, close_auction::call(item.id))?;
    Ok(())
}

/// Bids `amount` on `item`: more than the reserve and the best bid, and covered by the
/// bidder's bank account (asked through the bank's query).
#[reducer]
fn place_bid(ctx: ReducerContext, item: u64, bidder: String, amount: u64) -> Result<(), String> {
    let listed = open_item(&ctx, item)?;
    if amount < listed.reserve {
        return Err(format!("the reserve of item {} is {}", item, listed.reserve));
    }
    if let Some(best) = best_bid(ctx.current.bids().by_item().filter(item)) {
        if amount <= best.amount {
            return Err(format!("the best bid on item {} is already {}", item, best.amount));
        }
    }
    let available = bank::available(&ctx, bidder.clone())?.ok_or_else(|| format!("{} has no usable bank account", bidder))?;
    if available < amount {
        return Err(format!("{} has {} and cannot bid {}", bidder, available, amount));
    }
    ctx.current.bids().insert(Bids { id: 0, item, bidder, amount, placed_at: ctx.time() })?;
    Ok(())
}

fn best_bid(bids: impl Iterator<Item = Bids>) -> Option<Bids> {
    bids.max_by_key(|b| (b.amount, std::cmp::Reverse(b.id)))
}

/// Scheduled by `list_item`: sells to the best bidder who can still pay, through the bank.
#[reducer]
fn close_auction(ctx: ReducerContext, item: u64) -> Result<(), String> {
    let mut listed = open_item(&ctx, item)?;
    let mut bids: Vec<Bids> = ctx.current.bids().by_item().filter(item).collect();
    bids.sort_by_key(|b| (std::cmp::Reverse(b.amount), b.id));
    listed.status = Status::Unsold("no bid could be paid".to_string());
    for bid in bids {
        // A failed transfer undoes only the bank's writes; try the next bidder.
        match bank::transfer(&ctx, bid.bidder.clone(), listed.seller.clone(), bid.amount) {
            Ok(()) => {
                listed.status = Status::Sold { buyer: bid.bidder, price: bid.amount };
                break;
            }
            Err(e) => ctx.log.warn(format!("item {}: {}", item, e)),
        }
    }
    ctx.current.items().update(listed)?;
    Ok(())
}

/// Withdraws the bids of accounts the bank freezes.
#[reducer(on = "bank.accounts.update")]
fn on_account_update(ctx: ReducerContext, old: bank::Accounts, new: bank::Accounts) -> Result<(), String> {
    if new.frozen && !old.frozen {
        let bids = ctx.current.bids();
        let withdrawn: Vec<u64> = bids.by_bidder().filter(&new.owner).map(|b| b.id).collect();
        for id in withdrawn {
            bids.delete(id);
        }
    }
    Ok(())
}

#[reducer]
fn watch(ctx: ReducerContext, name: String, item: u64) -> Result<(), String> {
    let watchers = ctx.current.watchers();
    watchers.delete(&name);
    watchers.insert(Watchers { name, item })?;
    Ok(())
}

/// The open items of a category.
#[query]
fn open_items(ctx: QueryContext, category: Category) -> Vec<Items> {
    ctx.current.items().by_category().filter(category).filter(|i| i.status == Status::Open).collect()
}

/// Items closing before `time`, soonest first.
#[query]
fn closing_before(ctx: QueryContext, time: Timestamp) -> Vec<Items> {
    ctx.current.items().by_closes_at().range(..time).collect()
}

/// The best bid on an item.
#[query]
fn best(ctx: QueryContext, item: u64) -> Option<Bids> {
    best_bid(ctx.current.bids().by_item().filter(item))
}

/// Bids of at least `amount`, on any item, in amount order.
#[query]
fn bids_from(ctx: QueryContext, amount: u64) -> Vec<Bids> {
    ctx.current.bids().by_amount().range(amount..).collect()
}
