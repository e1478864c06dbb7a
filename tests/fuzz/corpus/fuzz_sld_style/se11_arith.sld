<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se" xmlns:ogc="http://www.opengis.net/ogc">
<NamedLayer><se:Name>points</se:Name><UserStyle><se:Name>x</se:Name>
<se:FeatureTypeStyle>
<se:Rule><se:MinScaleDenominator>1000</se:MinScaleDenominator><se:MaxScaleDenominator>50000</se:MaxScaleDenominator>
<ogc:Filter><ogc:And><ogc:PropertyIsBetween><ogc:PropertyName>score</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>60</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>90</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween><ogc:Not><ogc:PropertyIsNull><ogc:PropertyName>name</ogc:PropertyName></ogc:PropertyIsNull></ogc:Not></ogc:And></ogc:Filter>
<se:PointSymbolizer uom="http://www.opengeospatial.org/se/units/metre"><se:Graphic><se:Mark><se:WellKnownName>star</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#11223344</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke-dasharray">4 2 1</se:SvgParameter></se:Stroke></se:Mark><se:Size><ogc:Div><ogc:Mul><ogc:PropertyName>population</ogc:PropertyName><ogc:Literal>2</ogc:Literal></ogc:Mul><ogc:Literal>0</ogc:Literal></ogc:Div></se:Size></se:Graphic></se:PointSymbolizer>
<se:TextSymbolizer><se:Label><ogc:PropertyName>name</ogc:PropertyName></se:Label><se:Font><se:SvgParameter name="font-size">12</se:SvgParameter><se:SvgParameter name="font-weight">bold</se:SvgParameter></se:Font><se:Halo><se:Radius>2</se:Radius></se:Halo></se:TextSymbolizer>
</se:Rule>
<se:Rule><se:ElseFilter/><se:LineSymbolizer><se:Stroke><se:SvgParameter name="stroke">#000</se:SvgParameter><se:SvgParameter name="stroke-width">1.5</se:SvgParameter></se:Stroke></se:LineSymbolizer></se:Rule>
</se:FeatureTypeStyle></UserStyle></NamedLayer></StyledLayerDescriptor>
