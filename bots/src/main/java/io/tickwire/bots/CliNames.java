package io.tickwire.bots;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Command line names of enum constants: lower case, {@code _} written as {@code -}. Stateless; thread safe.
 */
final class CliNames
{
    private CliNames()
    {
    }

    /**
     * @return the command line name of {@code constant}, e.g. {@code random-walk} for {@code RANDOM_WALK}.
     */
    static String of(final Enum<?> constant)
    {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param what    what the constants are, for the message of the exception.
     * @param cliName a name as {@link #of(Enum)} gives it.
     * @return the constant of that name.
     * @throws IllegalArgumentException when no constant has that name.
     */
    static <E extends Enum<E>> E parse(final Class<E> type, final String what, final String cliName)
    {
        for (final E constant : type.getEnumConstants())
        {
            if (of(constant).equals(cliName))
            {
                return constant;
            }
        }
        throw new IllegalArgumentException(what + " must be one of " + list(type) + ": " + cliName);
    }

    /**
     * @return every command line name of {@code type}, separated by {@code |}.
     */
    static String list(final Class<? extends Enum<?>> type)
    {
        return Arrays.stream(type.getEnumConstants()).map(CliNames::of).collect(Collectors.joining("|"));
    }
}
