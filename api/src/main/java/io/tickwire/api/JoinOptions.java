package io.tickwire.api;

/**
 * The options of one join, already validated against the game type's {@link JoinOption} declarations; an option
 * the client did not give reads as its default. Immutable.
 */
public interface JoinOptions
{
    /**
     * @return the value of integer option {@code name}.
     * @throws IllegalArgumentException when the type declares no integer option of that name.
     */
    int intValue(String name);

    /**
     * @return the value of option {@code name} as text.
     * @throws IllegalArgumentException when the type declares no option of that name.
     */
    String text(String name);

    /**
     * @return true when the client gave option {@code name} (false when it reads as its default).
     */
    boolean isGiven(String name);
}
