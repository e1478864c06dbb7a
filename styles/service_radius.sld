<?xml version="1.0" encoding="UTF-8"?>
<!-- sanigrid style: service radius circles of the points a coverage run used; radius_m comes from that run (the size is in metres)
     SLD 1.1 / SE 1.1 in the subset described in styles/README.md.
     Rule Title = Chinese legend text, Abstract = English.
     SPDX-License-Identifier: MIT -->
<StyledLayerDescriptor version="1.1.0"
    xmlns="http://www.opengis.net/sld"
    xmlns:se="http://www.opengis.net/se"
    xmlns:ogc="http://www.opengis.net/ogc"
    xmlns:xlink="http://www.w3.org/1999/xlink"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>points</se:Name>
    <UserStyle>
      <se:Name>service_radius</se:Name>
      <se:Description>
        <se:Title>服务半径</se:Title>
        <se:Abstract>Service radius</se:Abstract>
      </se:Description>
      <se:FeatureTypeStyle>
        <se:Rule>
          <se:Name>radius</se:Name>
          <se:Description>
            <se:Title>收集点服务半径</se:Title>
            <se:Abstract>Service radius of a point</se:Abstract>
          </se:Description>
          <ogc:Filter>
            <ogc:Not>
                <ogc:PropertyIsNull>
                  <ogc:PropertyName>radius_m</ogc:PropertyName>
                </ogc:PropertyIsNull>
            </ogc:Not>
          </ogc:Filter>
          <!-- not drawn at county scale: a 120 m circle is a dot there -->
          <se:MaxScaleDenominator>100000</se:MaxScaleDenominator>
          <se:PointSymbolizer uom="http://www.opengeospatial.org/se/units/metre">
            <se:Graphic>
              <se:Mark>
                <se:WellKnownName>circle</se:WellKnownName>
                <se:Fill>
                  <se:SvgParameter name="fill">#1b7a34</se:SvgParameter>
                  <se:SvgParameter name="fill-opacity">0.09</se:SvgParameter>
                </se:Fill>
                <se:Stroke>
                  <se:SvgParameter name="stroke">#1b7a34</se:SvgParameter>
                  <se:SvgParameter name="stroke-opacity">0.75</se:SvgParameter>
                  <se:SvgParameter name="stroke-width">4</se:SvgParameter>
                  <se:SvgParameter name="stroke-dasharray">24 14</se:SvgParameter>
                </se:Stroke>
              </se:Mark>
              <se:Size>
                <ogc:Mul>
                  <ogc:PropertyName>radius_m</ogc:PropertyName>
                  <ogc:Literal>2</ogc:Literal>
                </ogc:Mul>
              </se:Size>
            </se:Graphic>
          </se:PointSymbolizer>
        </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
