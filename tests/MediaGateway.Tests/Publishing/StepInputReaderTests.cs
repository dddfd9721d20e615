using MediaGateway.Accounts;
using MediaGateway.Content;
using MediaGateway.Publishing;
using MediaGateway.Storage;
using MediaGateway.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MediaGateway.Tests.Publishing;

/// <summary>
/// The worker keeps what it parsed, rendered and checked of an item in memory (<see cref="StepInputReader"/>), so an
/// unchanged item is not rendered again at every step. These tests prove the memory never stands in for Redis: a
/// change to the item (by any write through the store, which stamps it), to the account or a pause is seen by the very next read.
/// </summary>
[Collection(GatewayCollection.Name)]
public sealed class StepInputReaderTests(GatewayTestHost host)
{
    /// <summary>An account of its own: one test renames, suspends and pauses it for a moment.</summary>
    private const string AccountId = "wx-inputs";

    private RedisKeys Keys => host.Services.GetRequiredService<RedisKeys>();
    private StepInputReader Reader => host.Services.GetRequiredService<StepInputReader>();

    private async Task<(string Id, string Fingerprint)> SubmitAsync()
    {
        using var op = host.Client(GatewayTestHost.OperatorToken);
        var cover = await TestData.UploadCoverAsync(op);
        var article = TestData.Article(cover, TestData.Unique("缓存核对"), [AccountId]);
        article["publishAt"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O"); // never due during the test
        var item = await TestData.SubmitAsync(op, article);
        return (item["id"]!.GetValue<string>(), item["fingerprints"]![AccountId]!.GetValue<string>());
    }

    [Fact]
    public async Task AnUnchangedItem_IsParsedAndCheckedOnce_AndAChangedOne_IsSeenAtTheNextRead()
    {
        var (id, fingerprint) = await SubmitAsync();

        var first = await Reader.ReadAsync(id, AccountId);
        var prepared = Reader.Prepare(first.Snapshot!, first.Account!);
        Assert.Equal(fingerprint, prepared.Fingerprint);
        Assert.Null(first.Holdup);

        // Nothing changed in Redis: the same parsed item and the same verdict are used again.
        var again = await Reader.ReadAsync(id, AccountId);
        Assert.Same(first.Snapshot, again.Snapshot);
        Assert.Same(first.Account, again.Account);
        Assert.Same(prepared, Reader.Prepare(again.Snapshot!, again.Account!));

        // The stored item changes without a review (as a bug in some code path would change it): the store gives it a new
        // stamp in the same transaction, and the next read sees the new text.
        var contents = host.Services.GetRequiredService<ContentStore>();
        var stored = (await contents.GetAsync(id))!;
        Assert.True(await contents.TryUpdateAsync(stored, stored.Value with { Body = stored.Value.Body + Unreviewed }, []));
        await AssertTheNextReadSeesTheChangeAsync(id, first, fingerprint);
    }

    private const string Unreviewed = "\n\n未经审核的附加段落。";

    private async Task AssertTheNextReadSeesTheChangeAsync(string id, StepInputs before, string approvedFingerprint)
    {
        var changed = await Reader.ReadAsync(id, AccountId);
        Assert.NotSame(before.Snapshot, changed.Snapshot);
        Assert.EndsWith(Unreviewed, changed.Item!.Body, StringComparison.Ordinal);
        Assert.NotEqual(approvedFingerprint, Reader.Prepare(changed.Snapshot!, changed.Account!).Fingerprint);
    }

    [Fact]
    public async Task AnItemWithoutAStamp_IsReadAtEveryStep()
    {
        // Items written before stamps existed have none: their bytes are read and compared at every step, as before.
        var (id, fingerprint) = await SubmitAsync();
        var db = host.Multiplexer.GetDatabase();
        Assert.True(await db.KeyDeleteAsync(Keys.ContentStamp(id)));
        var first = await Reader.ReadAsync(id, AccountId);
        Assert.Same(first.Snapshot, (await Reader.ReadAsync(id, AccountId)).Snapshot);

        var stored = (await host.Services.GetRequiredService<ContentStore>().GetAsync(id))!;
        await db.StringSetAsync(Keys.Content(id), Json.Serialize(stored.Value with { Body = stored.Value.Body + Unreviewed }));
        await AssertTheNextReadSeesTheChangeAsync(id, first, fingerprint);
    }

    [Fact]
    public async Task AChangedAccountState_AndAPause_AreSeenAtTheNextRead()
    {
        var (id, fingerprint) = await SubmitAsync();
        var db = host.Multiplexer.GetDatabase();
        var stateKey = Keys.AccountState(AccountId);
        var original = (string?)await db.StringGetAsync(stateKey);
        Assert.NotNull(original);
        try
        {
            var before = await Reader.ReadAsync(id, AccountId);
            Assert.Equal(fingerprint, Reader.Prepare(before.Snapshot!, before.Account!).Fingerprint);

            // The account is renamed and suspended in Redis: the name is part of the article, the status forbids publishing.
            var state = Json.Deserialize<AccountState>(original);
            await db.StringSetAsync(stateKey, Json.Serialize(state with { Name = state.Name + "（改名）", Status = AccountStatus.Suspended }));
            var after = await Reader.ReadAsync(id, AccountId);
            Assert.NotSame(before.Account, after.Account);
            Assert.Equal(AccountStatus.Suspended, after.Account!.Status);
            Assert.NotNull(after.Account.WhyNotPublishable());
            Assert.NotEqual(fingerprint, Reader.Prepare(after.Snapshot!, after.Account).Fingerprint);

            // A pause set directly in Redis holds the account at the next read.
            await db.StringSetAsync(Keys.Pause(AccountId), Json.Serialize(new PauseRecord("test", "缓存核对", DateTimeOffset.UtcNow)));
            var paused = await Reader.ReadAsync(id, AccountId);
            Assert.NotNull(paused.Holdup);
            Assert.Equal(AccountId, paused.Holdup!.Scope);
        }
        finally
        {
            await db.KeyDeleteAsync(Keys.Pause(AccountId));
            await db.StringSetAsync(stateKey, original);
        }

        var restored = await Reader.ReadAsync(id, AccountId);
        Assert.Null(restored.Holdup);
        Assert.Equal(fingerprint, Reader.Prepare(restored.Snapshot!, restored.Account!).Fingerprint);
    }
}
