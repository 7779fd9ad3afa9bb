//! `bank`: accounts and transfers. The auction house calls it to check balances and to pay.

use interstice_sdk::prelude::*;

interstice_module!(visibility: Public);

/// One account per owner.
#[table]
#[derive(Debug, Clone, PartialEq)]
pub struct Accounts {
    #[primary_key]
    pub owner: String,
    pub balance: u64,
    /// A frozen account can neither pay nor be paid.
    pub frozen: bool,
}

fn account(ctx: &ReducerContext, owner: &str) -> Result<Accounts, String> {
    ctx.current.accounts().get(owner).ok_or_else(|| format!("no account for {}", owner))
}

#[reducer]
fn open(ctx: ReducerContext, owner: String) -> Result<(), String> {
    ctx.current.accounts().insert(Accounts { owner, balance: 0, frozen: false })?;
    Ok(())
}

#[reducer]
fn deposit(ctx: ReducerContext, owner: String, amount: u64) -> Result<(), String> {
    let mut account = account(&ctx, &owner)?;
    account.balance = account.balance.checked_add(amount).ok_or("balance overflow")?;
    ctx.current.accounts().update(account)?;
    Ok(())
}

#[reducer]
fn set_frozen(ctx: ReducerContext, owner: String, frozen: bool) -> Result<(), String> {
    let mut account = account(&ctx, &owner)?;
    account.frozen = frozen;
    ctx.current.accounts().update(account)?;
    Ok(())
}

/// Moves `amount` from `from` to `to`; fails (and changes nothing) when `from` cannot pay.
#[reducer]
fn transfer(ctx: ReducerContext, from: String, to: String, amount: u64) -> Result<(), String> {
    let mut payer = account(&ctx, &from)?;
    let mut payee = account(&ctx, &to)?;
    if payer.frozen || payee.frozen {
        return Err(format!("transfer {} -> {}: an account is frozen", from, to));
    }
    if payer.balance < amount {
        return Err(format!("{} has {} and cannot pay {}", from, payer.balance, amount));
    }
    payer.balance -= amount;
    payee.balance += amount;
    ctx.current.accounts().update(payer)?;
    ctx.current.accounts().update(payee)?;
    ctx.log.info(format!("{} paid {} to {}", from, amount, to));
    Ok(())
}

/// The balance of `owner`'s account, if it exists and is not frozen.
#[query]
fn available(ctx: QueryContext, owner: String) -> Option<u64> {
    ctx.current.accounts().get(&owner).filter(|a| !a.frozen).map(|a| a.balance)
}
