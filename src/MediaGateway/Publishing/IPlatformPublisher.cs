using MediaGateway.Accounts;
using MediaGateway.Platforms;

namespace MediaGateway.Publishing;

/// <summary>
/// One platform's side of publishing (decision 33). <see cref="PublicationProcessor"/> reads a step's inputs and runs the
/// guard, then calls one of these for the publication's platform. Each makes at most one platform call and returns the
/// step to save; a platform error it does not answer itself (a lookup that failed is answered where it happens) is
/// thrown, and the processor decides what follows with <see cref="PublishRetryPolicy"/>.
/// </summary>
internal interface IPlatformPublisher
{
    Platform Platform { get; }

    /// <summary>The next step of publishing: an upload, the draft, the send marker, the send, or asking what became of an accepted send.</summary>
    Task<Step> NextStepAsync(StepContext c, CancellationToken ct);

    /// <summary>
    /// A send may have happened without its result recorded (<see cref="SendState.MustLookUp"/>): find out what became of
    /// it before anything is sent again.
    /// </summary>
    Task<Step> ReconcileAsync(StepContext c, CancellationToken ct);

    /// <summary>Takes the publication's post down; throws the platform's refusal as a <see cref="PlatformException"/>.</summary>
    Task RetractAsync(Publication p, Account account, CancellationToken ct);
}

/// <summary>Where a publication's send stands: the one place that says whether a send may have happened without its result recorded.</summary>
internal static class SendState
{
    /// <summary>
    /// The send marker (<see cref="Publication.SendStartedAt"/>) is saved and no result is recorded (no publish_id, mass
    /// msg_id or post id): the send may have happened. Nothing is sent again before it is looked up, and a pause or hold
    /// does not stop finding out.
    /// </summary>
    public static bool Unresolved(Publication p) =>
        p.SendStartedAt is not null && p.PublishId is null && p.MassMsgId is null && p.PlatformId is null;

    /// <summary>
    /// The step must find out what became of a send before anything else: a send marker left by an earlier delivery (seen
    /// on this delivery's first look), or a send the platform refused as a repeat (Weibo 20017/20019/20111; WeChat 40007
    /// on submit, the draft was taken), recorded by the publishers as <see cref="WeiboPublisher.RepeatClass"/> and
    /// <see cref="WeChatPublisher.RepeatClass"/>. A submitted publication asks for its outcome instead. The marker alone
    /// decides (not <see cref="Unresolved"/>): a submission re-driven from the dead letters keeps its publish_id and is
    /// looked up too, never submitted again.
    /// </summary>
    public static bool MustLookUp(Publication p, bool firstLook) =>
        p.State != PublicationState.Submitted && p.SendStartedAt is not null
        && (firstLook || p.Error?.Class is WeiboPublisher.RepeatClass or WeChatPublisher.RepeatClass);
}
