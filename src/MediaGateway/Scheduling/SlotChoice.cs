namespace MediaGateway.Scheduling;

/// <summary>A posting slot asked for instead of a time (<c>slot</c> in a submission).</summary>
internal enum SlotChoice
{
    /// <summary>Each target account's next free posting slot, resolved at submission.</summary>
    NextFree,
}
