namespace MediaGateway.Rules;

/// <summary>One automated check. A rule reports every finding it sees; it never stops the others.</summary>
public interface IRule
{
    string Id { get; }

    /// <summary>
    /// True for a rule about images (<see cref="RuleInput.Image"/>): it runs only on image inputs, and the text rules never
    /// see those.
    /// </summary>
    bool ChecksImages => false;

    void Check(RuleInput input, ICollection<Finding> findings);
}
