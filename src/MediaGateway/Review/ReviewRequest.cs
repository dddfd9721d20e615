using MediaGateway.Content;
using MediaGateway.Hosting;

namespace MediaGateway.Review;

/// <summary>One reviewer's decision on one item (P4: one item, one decision; there is no bulk approval).</summary>
internal sealed record ReviewRequest
{
    public ReviewDecision? Decision { get; init; }
    /// <summary>Required when rejecting.</summary>
    [MultiLineText]
    public string? Comment { get; init; }
    /// <summary>P6: must be true to approve — the reviewer attests the secrecy check (保密审查) was done.</summary>
    public bool SecrecyAttested { get; init; }
    /// <summary>Optional: the fingerprints the reviewer saw; if given and the item changed, the decision is refused.</summary>
    public Dictionary<string, string>? Fingerprints { get; init; }
    /// <summary>To approve: the index (in the item's findings) of every flag-level finding, each one acknowledged.</summary>
    public List<int>? AcknowledgedFindings { get; init; }
}

/// <summary>P8: an involved agency confirmed the item.</summary>
internal sealed record AgencyConfirmationRequest(string? Agency, [property: MultiLineText] string? Note);

/// <summary>P6: why the confidentiality markers found are not classified content.</summary>
internal sealed record SecrecyClearanceRequest([property: MultiLineText] string? Comment);

/// <summary>P9: the consultation held with related units on a sensitive item.</summary>
internal sealed record ConsultationRequest(string? Units, [property: MultiLineText] string? Summary);
