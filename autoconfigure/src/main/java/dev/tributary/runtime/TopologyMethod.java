package dev.tributary.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

import dev.tributary.async.AsyncSteps;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;

import org.springframework.aop.support.AopUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The one method of a {@code @StreamProcessor} bean that defines its topology: either
 * {@code (StreamsBuilder)} or {@code (StreamsBuilder, AsyncSteps)} for the DSL, or
 * {@code () -> Topology} for the Processor API.
 */
final class TopologyMethod implements TopologyFactory {

	private final String processorName;

	private final Object bean;

	private final Method method;

	private final boolean dsl;

	private TopologyMethod(String processorName, Object bean, Method method) {
		this.processorName = processorName;
		this.bean = bean;
		this.method = method;
		this.dsl = method.getParameterCount() >= 1;
		ReflectionUtils.makeAccessible(method);
	}

	static TopologyMethod find(String processorName, Object bean) {
		Class<?> type = ClassUtils.getUserClass(bean);
		List<Method> candidates = new ArrayList<>();
		ReflectionUtils.doWithMethods(type, candidates::add, TopologyMethod::isTopologyMethod);
		if (candidates.size() != 1) {
			String found = candidates.isEmpty() ? "none"
					: candidates.stream().map(Method::toGenericString).collect(Collectors.joining(", "));
			throw new ProcessorConfigurationException(null, "@StreamProcessor '" + processorName + "' ("
					+ type.getName() + ") must declare exactly one topology method, either "
					+ "'void topology(StreamsBuilder builder)' for the Kafka Streams DSL (optionally with a second "
					+ "parameter 'AsyncSteps async' for async steps) or "
					+ "'Topology topology()' for the Processor API; found " + found);
		}
		Method method = AopUtils.selectInvocableMethod(candidates.get(0), bean.getClass());
		return new TopologyMethod(processorName, bean, method);
	}

	private static boolean isTopologyMethod(Method method) {
		if (Modifier.isStatic(method.getModifiers()) || method.isBridge() || method.isSynthetic()
				|| method.getDeclaringClass() == Object.class) {
			return false;
		}
		Class<?>[] parameters = method.getParameterTypes();
		return (parameters.length == 1 && parameters[0] == StreamsBuilder.class)
				|| (parameters.length == 2 && parameters[0] == StreamsBuilder.class && parameters[1] == AsyncSteps.class)
				|| (parameters.length == 0 && Topology.class.isAssignableFrom(method.getReturnType()));
	}

	@Override
	public Topology build(Properties streamsProperties) {
		Topology topology;
		try {
			topology = this.dsl ? buildWithDsl(streamsProperties) : (Topology) this.method.invoke(this.bean);
		}
		catch (InvocationTargetException ex) {
			throw buildFailure(ex.getTargetException());
		}
		catch (RuntimeException | ReflectiveOperationException ex) {
			throw buildFailure(ex);
		}
		if (topology == null) {
			throw new ProcessorConfigurationException(null,
					"@StreamProcessor '" + this.processorName + "': " + describeMethod() + " returned null");
		}
		TopologyDescription description = topology.describe();
		if (description.subtopologies().isEmpty() && description.globalStores().isEmpty()) {
			throw new ProcessorConfigurationException(null, "@StreamProcessor '" + this.processorName + "': "
					+ describeMethod() + " defined an empty topology; it must read at least one topic");
		}
		return topology;
	}

	private Topology buildWithDsl(Properties streamsProperties) throws ReflectiveOperationException {
		// The builder gets the processor's configuration so topology-level settings
		// (default store type, optimizations) apply exactly as in a hand-wired app.
		StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(streamsProperties)));
		if (this.method.getParameterCount() == 2) {
			this.method.invoke(this.bean, builder, AsyncSteps.forBuild(builder, streamsProperties));
		}
		else {
			this.method.invoke(this.bean, builder);
		}
		return builder.build(streamsProperties);
	}

	private ProcessorConfigurationException buildFailure(Throwable cause) {
		if (cause instanceof ProcessorConfigurationException pce) {
			return pce;
		}
		return new ProcessorConfigurationException(null, "@StreamProcessor '" + this.processorName
				+ "': " + describeMethod() + " failed to build its topology: " + cause, cause);
	}

	private String describeMethod() {
		return ClassUtils.getUserClass(this.bean).getSimpleName() + "." + this.method.getName() + "()";
	}

}
