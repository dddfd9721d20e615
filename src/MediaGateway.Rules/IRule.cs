namespace MediaGateway.Rules;

/// <summary>One automated check. A rule reports every finding it sees; it never stops the others.</summary>
public interface IRule
{
    string Id { get; }

    void Check(RuleInput input, ICollection<Finding> findings);
}
