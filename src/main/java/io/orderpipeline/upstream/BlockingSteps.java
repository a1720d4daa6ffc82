package io.orderpipeline.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.orderpipeline.platform.NonBlocking;
import org.apache.camel.CamelContext;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.ConvertBodyDefinition;
import org.apache.camel.model.DelayDefinition;
import org.apache.camel.model.ExpressionNode;
import org.apache.camel.model.FilterDefinition;
import org.apache.camel.model.LogDefinition;
import org.apache.camel.model.MarshalDefinition;
import org.apache.camel.model.Model;
import org.apache.camel.model.OnExceptionDefinition;
import org.apache.camel.model.OtherwiseDefinition;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RemoveHeaderDefinition;
import org.apache.camel.model.RemoveHeadersDefinition;
import org.apache.camel.model.RemovePropertiesDefinition;
import org.apache.camel.model.RemovePropertyDefinition;
import org.apache.camel.model.RemoveVariableDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SetBodyDefinition;
import org.apache.camel.model.SetHeaderDefinition;
import org.apache.camel.model.SetHeadersDefinition;
import org.apache.camel.model.SetPropertyDefinition;
import org.apache.camel.model.SetVariableDefinition;
import org.apache.camel.model.SetVariablesDefinition;
import org.apache.camel.model.StepDefinition;
import org.apache.camel.model.StopDefinition;
import org.apache.camel.model.ThreadsDefinition;
import org.apache.camel.model.ThrowExceptionDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.TransformDefinition;
import org.apache.camel.model.UnmarshalDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.ExpressionDefinition;
import org.apache.camel.model.language.MethodCallExpression;

/**
 * Reads a route as its YAML wrote it and names the steps that may block the thread they run on. The HTTP engine
 * runs a route on the Vert.x event loop, and lets the steps after its Kafka send run on the Kafka client's
 * acknowledgement thread, only where this finds nothing that may block; a route edit that adds such a step moves
 * the route to worker threads instead, and says so in the log.
 * <p>
 * Non-blocking, as far as this knows: header, property, variable and body changes, JSON (un)marshalling, log, choice and
 * filter (their branches are read too), stop, throwing an exception, a send to {@code kafka:} or {@code log:},
 * whatever follows a {@code threads} step in its list (it runs on that step's pool),
 * beans and {@code method} expressions of {@link NonBlocking} classes, and the expression languages {@code constant},
 * {@code simple}, {@code header}, {@code exchangeProperty}, {@code variable}, {@code jsonpath}. Anything else
 * (delay, sql, other endpoints, other beans, scripts) is taken to block. The route's error handling
 * ({@code onException}, from its route configuration) runs wherever the failure happened, so it counts everywhere.
 * <p>
 * Part of the {@link NonBlockingHttpConsumer} gap (CAMEL-20011, CAMEL-27217): Camel does not say whether a step may
 * block. Without it: RouteThreadingTest (a route with a blocking step would run on the event loop).
 */
public final class BlockingSteps {

    private static final Set<String> NON_BLOCKING_LANGUAGES = Set.of("constant", "simple", "header",
            "exchangeProperty", "variable", "jsonpath");

    /** @param beforeSend steps that run on the thread the request arrived on, up to the first Kafka send
     *  @param afterSend  steps that run on the thread of the broker's acknowledgement */
    public record Verdict(List<String> beforeSend, List<String> afterSend) {
    }

    private final CamelContext context;
    private final List<String> before = new ArrayList<>();
    private final List<String> after = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private boolean sent;
    /** Above 0: the steps walked now come after a {@code threads} step, on its pool. */
    private int pooled;

    private BlockingSteps(CamelContext context) {
        this.context = context;
    }

    public static Verdict of(CamelContext context, String routeId) {
        Model model = context.getCamelContextExtension().getContextPlugin(Model.class);
        RouteDefinition route = model == null ? null : model.getRouteDefinition(routeId);
        if (route == null) {
            List<String> unknown = List.of("route " + routeId + " (its definition is not available)");
            return new Verdict(unknown, unknown);
        }
        BlockingSteps steps = new BlockingSteps(context);
        steps.walk(route.getOutputs());
        // error handling runs wherever the failure happened
        steps.before.addAll(steps.errors);
        if (steps.sent) {
            steps.after.addAll(steps.errors);
        }
        return new Verdict(List.copyOf(steps.before), List.copyOf(steps.after));
    }

    private void walk(List<ProcessorDefinition<?>> outputs) {
        int pooledHere = 0;
        for (ProcessorDefinition<?> step : outputs) {
            if (step instanceof ThreadsDefinition) {
                // the rest of this list (and what follows it for the exchanges that came this way) runs on the
                // threads step's pool; what follows the enclosing choice or filter is still read for the others
                pooled++;
                pooledHere++;
                continue;
            }
            if (step instanceof OnExceptionDefinition handler) {
                // the route configuration's onException, which Camel puts among the route's outputs
                BlockingSteps inHandler = new BlockingSteps(context);
                inHandler.walk(handler.getOutputs());
                errors.addAll(inHandler.before);
                errors.addAll(inHandler.after);
                continue;
            }
            note(blocking(step));
            if (step instanceof ToDefinition to && isKafka(to)) {
                sent = true;
            }
            if (step instanceof ChoiceDefinition choice) {
                for (WhenDefinition when : choice.getWhenClauses()) {
                    note(expression(when.getExpression()) ? null : describe(step));
                    walk(when.getOutputs());
                }
                if (choice.getOtherwise() != null) {
                    walk(choice.getOtherwise().getOutputs());
                }
            } else if (step instanceof FilterDefinition || step instanceof StepDefinition
                    || (Object) step instanceof OtherwiseDefinition) {
                walk(step.getOutputs());
            }
        }
        pooled -= pooledHere;
    }

    /** Records a step that may block ({@code why}; null: none) where it runs: before or after the Kafka send. */
    private void note(String why) {
        if (why != null && pooled == 0) {
            (sent ? after : before).add(why);
        }
    }

    /** Why this step may block, or null. */
    private String blocking(ProcessorDefinition<?> step) {
        if (step instanceof ToDefinition to) {
            return isKafka(to) || uri(to).startsWith("log:") ? null : describe(step);
        }
        if (step instanceof BeanDefinition bean) {
            Class<?> type = bean.getRef() != null ? registeredType(bean.getRef()) : loadable(bean.getBeanType());
            return isNonBlocking(type) ? null : describe(step);
        }
        if (step instanceof DelayDefinition) {
            return describe(step);
        }
        boolean known = step instanceof SetHeaderDefinition || step instanceof SetHeadersDefinition
                || step instanceof SetPropertyDefinition || step instanceof SetBodyDefinition
                || step instanceof SetVariableDefinition || step instanceof SetVariablesDefinition
                || step instanceof RemoveVariableDefinition
                || step instanceof TransformDefinition || step instanceof RemoveHeaderDefinition
                || step instanceof RemoveHeadersDefinition || step instanceof RemovePropertyDefinition
                || step instanceof RemovePropertiesDefinition || step instanceof ConvertBodyDefinition
                || step instanceof MarshalDefinition || step instanceof UnmarshalDefinition
                || step instanceof LogDefinition || step instanceof StopDefinition
                || step instanceof ThrowExceptionDefinition || step instanceof ChoiceDefinition
                || step instanceof FilterDefinition || step instanceof StepDefinition
                || (Object) step instanceof OtherwiseDefinition;
        if (!known) {
            return describe(step);
        }
        // setHeaders and setVariables: one expression per header or variable they set
        List<? extends ExpressionNode> parts = step instanceof SetHeadersDefinition headers ? headers.getHeaders()
                : step instanceof SetVariablesDefinition variables ? variables.getVariables() : List.of();
        for (ExpressionNode part : parts) {
            if (!expression(part.getExpression())) {
                return describe(step);
            }
        }
        if (step instanceof ExpressionNode node && node.getExpression() != null
                && !expression(node.getExpression())) {
            return describe(step);
        }
        return null;
    }

    private boolean expression(ExpressionDefinition expression) {
        if (expression == null) {
            return true;
        }
        if (expression instanceof MethodCallExpression method) {
            Class<?> type = method.getRef() != null ? registeredType(method.getRef())
                    : method.getBeanType() != null ? method.getBeanType() : loadable(method.getBeanTypeName());
            return isNonBlocking(type);
        }
        return NON_BLOCKING_LANGUAGES.contains(expression.getLanguage());
    }

    private boolean isKafka(ToDefinition to) {
        return uri(to).startsWith("kafka:");
    }

    private static String uri(ToDefinition to) {
        return to.getEndpointUri() == null ? "" : to.getEndpointUri();
    }

    private Class<?> registeredType(String ref) {
        String name = ref.startsWith("#bean:") ? ref.substring("#bean:".length()) : ref;
        Object bean = context.getRegistry().lookupByName(name);
        return bean == null ? null : bean.getClass();
    }

    private Class<?> loadable(String type) {
        if (type == null) {
            return null;
        }
        String name = type.startsWith("#class:") ? type.substring("#class:".length()) : type;
        return context.getClassResolver().resolveClass(name);
    }

    private static boolean isNonBlocking(Class<?> type) {
        return type != null && type.isAnnotationPresent(NonBlocking.class);
    }

    private static String describe(ProcessorDefinition<?> step) {
        String where = step.getLineNumber() > 0 ? " (line " + step.getLineNumber() + ")" : "";
        String label = step.getLabel();
        return step.getShortName() + " " + (label.length() > 60 ? label.substring(0, 60) + "...]" : label) + where;
    }
}
